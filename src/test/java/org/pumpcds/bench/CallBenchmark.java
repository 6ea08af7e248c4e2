package org.pumpcds.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pumpcds.PumpCdsApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency of service calls, measured over real HTTP against the application started in this process, printed as
 * percentiles and as ratios to a baseline (discovery, which does no rule work) measured in the same run.
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.pumpcds.bench.CallBenchmark}
 * (optional argument: iterations per case, default 500). Not part of the test suite: it asserts nothing.
 */
public final class CallBenchmark {

    private CallBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        ConfigurableApplicationContext app = SpringApplication.run(PumpCdsApplication.class, "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:bench", "--logging.level.root=WARN");
        try {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String base = "http://localhost:" + port;
            HttpClient http = HttpClient.newHttpClient();
            String withPrefetch = Files.readString(Path.of("src/test/resources/readme/order-sign-with-prefetch.json"));
            String noPrefetch = Files.readString(Path.of("src/test/resources/readme/order-sign-no-prefetch.json"))
                    .replace("http://localhost:8080/fhir", base + "/fhir");
            String nonPump = """
                    {"hook": "order-sign", "hookInstance": "b1d5c7e0-0000-4000-8000-000000000001",
                     "context": {"userId": "Practitioner/1", "patientId": "no-pump", "draftOrders": {"resourceType": "Bundle",
                       "entry": [{"resource": {"resourceType": "ServiceRequest", "id": "ct", "status": "draft", "intent": "order",
                         "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "72133"}]},
                         "subject": {"reference": "Patient/no-pump"}}}]}}}""";
            Map<String, HttpRequest> cases = new LinkedHashMap<>();
            cases.put("discovery (baseline)", HttpRequest.newBuilder(URI.create(base + "/cds-services")).GET().build());
            cases.put("order-sign, no pump order", post(base, nonPump));
            cases.put("order-sign, pump orders, full prefetch", post(base, withPrefetch));
            cases.put("order-sign, pump drug, no prefetch (11 FHIR queries)", post(base, noPrefetch));
            System.out.printf(Locale.ROOT, "%d iterations per case after %d warm-up calls; %d cores%n", iterations, iterations / 5,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-55s %9s %9s %9s %12s%n", "case", "p50 ms", "p90 ms", "p99 ms", "p50/baseline");
            double baseline = 0;
            for (Map.Entry<String, HttpRequest> entry : cases.entrySet()) {
                for (int i = 0; i < iterations / 5; i++) {
                    send(http, entry.getValue());
                }
                long[] nanos = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long start = System.nanoTime();
                    send(http, entry.getValue());
                    nanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                double p50 = nanos[iterations / 2] / 1e6;
                if (baseline == 0) {
                    baseline = p50;
                }
                System.out.printf(Locale.ROOT, "%-55s %9.2f %9.2f %9.2f %12.1f%n", entry.getKey(), p50,
                        nanos[(int) (iterations * 0.9)] / 1e6, nanos[(int) (iterations * 0.99)] / 1e6, p50 / baseline);
            }
        } finally {
            app.close();
        }
    }

    private static HttpRequest post(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/cds-services/pump-order-sign"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + request.uri());
        }
    }
}
