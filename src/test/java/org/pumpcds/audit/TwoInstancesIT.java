package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pumpcds.PumpCdsApplication;
import org.pumpcds.support.Postgres;
import org.pumpcds.support.TrustedEhr;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two service instances on one PostgreSQL database, as behind a load balancer: a client token accepted by one is
 * refused by the other (the replay store is the database), and both read the same analytics.
 */
class TwoInstancesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startBoth() {
        String database = Postgres.newDatabase("two_instances");
        first = start(database);
        second = start(database);
    }

    @AfterAll
    static void stopBoth() {
        first.close();
        second.close();
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(PumpCdsApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + database,
                "--pumpcds.audit.patient-key=two-instances-test-key-0123456789abcdef",
                "--pumpcds.client-auth.required=true",
                "--pumpcds.client-auth.public-base-url=" + TrustedEhr.PUBLIC_BASE_URL,
                "--pumpcds.client-auth.trusted-issuers[0].issuer=" + TrustedEhr.ISSUER,
                "--pumpcds.client-auth.trusted-issuers[0].jwks-url=" + TrustedEhr.jwksUrl());
    }

    private static String base(ConfigurableApplicationContext instance) {
        return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(instance) + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenAcceptedByOneInstanceIsRefusedByTheOther() throws Exception {
        String token = TrustedEhr.token("/cds-services", c -> { });
        assertThat(send(first, "/cds-services", token, null).statusCode()).isEqualTo(200);
        assertThat(send(second, "/cds-services", token, null).statusCode()).as("replayed to the other instance").isEqualTo(401);
        assertThat(send(first, "/cds-services", token, null).statusCode()).as("replayed to the same instance").isEqualTo(401);
    }

    @Test
    void bothInstancesReadTheSameAnalytics() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String sign = "/cds-services/pump-order-sign";
        ObjectNode call = (ObjectNode) JSON.readTree(Files.readString(Path.of("src/test/resources/readme/order-sign-no-prefetch.json")));
        call.put("fhirServer", base(first) + "/fhir");
        HttpResponse<String> answer = send(first, sign, TrustedEhr.token(sign, c -> { }), call.toString());
        assertThat(answer.statusCode()).isEqualTo(200);
        String card = JSON.readTree(answer.body()).path("cards").get(0).path("uuid").asString();
        // the feedback reaches the other instance, as a load balancer may send it
        String feedback = "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"overridden\","
                + "\"outcomeTimestamp\":\"2026-11-27T10:00:00Z\"}]}";
        assertThat(send(second, sign + "/feedback", TrustedEhr.token(sign + "/feedback", c -> { }), feedback).statusCode())
                .isEqualTo(200);
        first.getBean(CardAuditWriter.class).flush(Duration.ofSeconds(10));

        String query = "/analytics/rules/ma-2024-02.documentation?from=" + from + "&to=" + Instant.now().plusSeconds(1);
        String analytics = "/analytics/rules/ma-2024-02.documentation";
        JsonNode fromFirst = JSON.readTree(send(first, query, TrustedEhr.token(analytics, c -> { }), null).body());
        JsonNode fromSecond = JSON.readTree(send(second, query, TrustedEhr.token(analytics, c -> { }), null).body());
        assertThat(fromFirst.path("rules").get(0).path("shown").asInt()).isEqualTo(1);
        assertThat(fromFirst.path("rules").get(0).path("overridden").asInt()).isEqualTo(1);
        assertThat(fromSecond.path("rules")).isEqualTo(fromFirst.path("rules"));
    }
}
