package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pumpcds.PumpCdsApplication;
import org.pumpcds.support.Postgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an operator watches, on PostgreSQL: the Prometheus endpoint carries the call and audit metrics, and
 * readiness goes down with the database (feedback could not be stored) while liveness stays up.
 */
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsArePublishedAndReadinessFollowsTheDatabase() throws Exception {
        EmbeddedPostgres server = Postgres.newServer();
        String database = server.getJdbcUrl("postgres", "postgres");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(PumpCdsApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + database, "--spring.datasource.hikari.connection-timeout=1000")) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            String call = Files.readString(Path.of("src/test/resources/readme/order-sign-with-prefetch.json"));
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/cds-services/pump-order-sign"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call)).build(),
                    HttpResponse.BodyHandlers.discarding());

            String metrics = get(base, "/actuator/prometheus").body();
            assertThat(metrics).contains("pumpcds_hook_calls_seconds_count{outcome=\"cards\",service=\"pump-order-sign\"}",
                    "pumpcds_audit_cards_lost_total", "pumpcds_audit_queue_size");
            assertThat(get(base, "/actuator/health/readiness").statusCode()).isEqualTo(200);

            server.close(); // the database goes away
            assertThat(get(base, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(get(base, "/actuator/health/liveness").statusCode()).as("alive: restarting would not help").isEqualTo(200);
            HttpResponse<String> feedback = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/cds-services/pump-order-sign/feedback"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"feedback\":[{\"card\":\"c1\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-27T10:00:00Z\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(feedback.statusCode()).as("not acknowledged: the EHR sends it again").isEqualTo(503);
            assertThat(feedback.headers().firstValue("Retry-After")).contains("5");
            assertThat(feedback.body()).contains("OperationOutcome", "nothing was stored");
        } finally {
            server.close();
        }
    }
}
