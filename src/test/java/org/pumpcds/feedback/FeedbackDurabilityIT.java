package org.pumpcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pumpcds.support.Postgres;

/**
 * Feedback the service acknowledged survives the process being killed, on the embedded default database and on
 * PostgreSQL: the service runs as its own process, is flooded with feedback from 16 threads and killed with SIGKILL
 * mid-flood; then the database is opened as a restart would open it, and every acknowledged item must be there.
 */
class FeedbackDurabilityIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path workDir;

    @Test
    void noAcknowledgedItemIsLostToKillMinus9() throws Exception {
        Set<String> acknowledged = floodThenKill();
        try (Stream<Path> files = Files.walk(workDir.resolve("data"))) {
            assertThat(files.map(Path::toString).filter(name -> name.endsWith(".trace.db")).toList())
                    .as("database trace files").isEmpty();
        }
        assertNoneLost(acknowledged, storedCards("jdbc:h2:file:" + workDir.resolve("data/pump-cds") + ";TRACE_LEVEL_FILE=0", "sa", ""));
    }

    /** The same on PostgreSQL: the database outlives the killed service, as a production database does. */
    @Test
    void noAcknowledgedItemIsLostToKillMinus9OnPostgres() throws Exception {
        String database = Postgres.newDatabase("durability");
        Set<String> acknowledged = floodThenKill("--spring.datasource.url=" + database);
        assertNoneLost(acknowledged, storedCards(database, "postgres", "postgres"));
    }

    private void assertNoneLost(Set<String> acknowledged, Set<String> stored) throws IOException {
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertThat(acknowledged).as("items acknowledged before the kill").hasSizeGreaterThan(50);
        assertThat(lost).as("acknowledged but missing after the kill, of " + acknowledged.size()).isEmpty();
        assertThat(Files.readString(workDir.resolve("service.log"))).doesNotContain("Jane Roe");
    }

    /** Starts the service as its own process, floods it with feedback from 16 threads and kills it mid-flood. */
    private Set<String> floodThenKill(String... settings) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.pumpcds.PumpCdsApplication",
                "--server.port=" + port, "--pumpcds.sandbox.enabled=false"));
        command.addAll(List.of(settings));
        Process service = new ProcessBuilder(command)
                .directory(workDir.toFile()) // the default database is ./data/pump-cds, here
                .redirectErrorStream(true).redirectOutput(workDir.resolve("service.log").toFile()).start();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            awaitHealthy(port, service);
            String secretComment = "patient Jane Roe MRN 000123 " + "x".repeat(4000);
            assertThat(post(port, body("too-long", secretComment))).isEqualTo(400);

            AtomicBoolean flooding = new AtomicBoolean(true);
            ExecutorService flood = Executors.newFixedThreadPool(16);
            for (int t = 0; t < 16; t++) {
                int thread = t;
                flood.submit(() -> {
                    for (int n = 0; flooding.get(); n++) {
                        String card = "durable-" + thread + "-" + n;
                        try {
                            if (post(port, body(card, "override note " + n)) == 200) {
                                acknowledged.add(card);
                            }
                        } catch (IOException | InterruptedException e) {
                            return; // the service is gone
                        }
                    }
                });
            }
            Thread.sleep(1500);
            service.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            service.waitFor(10, TimeUnit.SECONDS);
            flooding.set(false);
            flood.shutdown();
            assertThat(flood.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            service.destroyForcibly();
        }
        return acknowledged;
    }

    private static String body(String card, String comment) {
        return "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\","
                + "\"overrideReason\":{\"userComment\":\"" + comment + "\"}}]}";
    }

    private static int post(int port, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cds-services/pump-order-sign/feedback"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitHealthy(int port, Process service) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until && service.isAlive()) {
            try {
                HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build();
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not start; see its log");
    }

    private static Set<String> storedCards(String url, String user, String password) throws SQLException {
        Set<String> cards = new HashSet<>();
        try (Connection db = DriverManager.getConnection(url, user, password);
             ResultSet rows = db.createStatement().executeQuery("SELECT card_uuid FROM feedback")) {
            while (rows.next()) {
                cards.add(rows.getString(1));
            }
        }
        return cards;
    }
}
