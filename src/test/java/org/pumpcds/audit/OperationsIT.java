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
import org.pumpcds.support.TrustedEhr;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an operator watches, on PostgreSQL: the Prometheus endpoint carries the call and audit metrics, and
 * readiness goes down with the database (feedback could not be stored) while liveness stays up, and a call whose
 * token cannot be checked against the shared replay store is answered 503, to be sent again.
 */
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A GET with a fresh client token for the path (client authentication is on, as in production). */
    private static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TrustedEhr.token(path, c -> { })).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String base, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TrustedEhr.token(path, c -> { }))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsArePublishedAndReadinessFollowsTheDatabase() throws Exception {
        EmbeddedPostgres server = Postgres.newServer();
        String database = server.getJdbcUrl("postgres", "postgres");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(PumpCdsApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + database, "--spring.datasource.hikari.connection-timeout=1000",
                "--pumpcds.client-auth.required=true", "--pumpcds.client-auth.public-base-url=" + TrustedEhr.PUBLIC_BASE_URL,
                "--pumpcds.client-auth.trusted-issuers[0].issuer=" + TrustedEhr.ISSUER,
                "--pumpcds.client-auth.trusted-issuers[0].jwks-url=" + TrustedEhr.jwksUrl())) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            String call = Files.readString(Path.of("src/test/resources/readme/order-sign-with-prefetch.json"));
            assertThat(post(base, "/cds-services/pump-order-sign", call).statusCode()).isEqualTo(200);

            String metrics = get(base, "/actuator/prometheus").body();
            // the call is counted; the other outcomes are registered at start-up and show at zero
            assertThat(metrics).contains("pumpcds_hook_calls_seconds_count{outcome=\"cards\",service=\"pump-order-sign\"} 1",
                    "pumpcds_hook_calls_seconds_count{outcome=\"refused\",service=\"pump-order-select\"} 0",
                    "pumpcds_audit_cards_lost_total", "pumpcds_audit_queue_size");
            assertThat(get(base, "/actuator/health/readiness").statusCode()).isEqualTo(200);

            server.close(); // the database goes away
            assertThat(get(base, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(get(base, "/actuator/health/liveness").statusCode()).as("alive: restarting would not help").isEqualTo(200);
            // the token cannot be checked against the shared replay store: 503, to be sent again, not a 401
            HttpResponse<String> refused = post(base, "/cds-services/pump-order-sign", call);
            assertThat(refused.statusCode()).as("not refused as unauthenticated: the EHR sends it again").isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
            assertThat(refused.body()).contains("OperationOutcome", "send the request again");
        } finally {
            server.close();
        }
    }

    @Test
    void feedbackWhileTheDatabaseIsDownIs503AndNothingIsAcknowledged() throws Exception {
        EmbeddedPostgres server = Postgres.newServer();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(PumpCdsApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + server.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.hikari.connection-timeout=1000")) {
            String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
            server.close();
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
