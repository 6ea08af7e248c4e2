package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;

/**
 * JSON an attacker crafts so that two readers could disagree about it, or so that arithmetic overflows: repeated keys
 * and numbers beyond a double's range are refused as invalid input (400 naming where), never a 500 or a card built
 * on a value no reader agrees on.
 */
class StrictJsonIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String WITH_PREFETCH = "src/test/resources/readme/order-sign-with-prefetch.json";

    /** The README's compounded intrathecal refill, against this test's sandbox. */
    private String refill() {
        return read(Path.of("src/test/resources/readme/order-sign-no-prefetch.json"))
                .replace("http://localhost:8080/fhir", sandboxUrl());
    }

    @Test
    void aKeyRepeatedInOneObjectIs400() {
        String topLevel = refill().replaceFirst("\"hook\": \"order-sign\",", "\"hook\": \"order-sign\", \"hook\": \"order-select\",");
        Response refused = post(SIGN, topLevel);
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("repeats a key");
        String nested = refill().replaceFirst("\"status\": \"draft\",", "\"status\": \"draft\", \"status\": \"active\",");
        post(SIGN, nested).then().statusCode(400);
        post(SIGN + "/feedback", "{\"feedback\":[{\"card\":\"a\",\"card\":\"b\",\"outcome\":\"overridden\","
                + "\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}").then().statusCode(400);
    }

    @Test
    void aNumberBeyondADoublesRangeIs400NamingIt() {
        Response refused = post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": 1e400,"));
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("context.draftOrders.entry[0].resource.contained[0].ingredient[0].strength.numerator.value");
        post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": -1e400,")).then().statusCode(400);
        post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": NaN,")).then().statusCode(400);
        post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": 1e999999999999,")).then().statusCode(400);
        post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": 1e-400,")).then().statusCode(400);
    }

    @Test
    void finiteNumbersWhoseArithmeticOverflowsNeverGive500() {
        String hugeStrength = refill().replaceFirst("\"value\": 1000,", "\"value\": 1e307,").replaceFirst("\"code\": \"ug\"", "\"code\": \"g\"");
        post(SIGN, hugeStrength).then().statusCode(200);
        String hugeSupply = refill().replaceFirst("\"value\": 90,", "\"value\": 1e308,").replaceFirst("\"code\": \"d\"", "\"code\": \"a\"");
        post(SIGN, hugeSupply).then().statusCode(200);
        String tinyStrength = refill().replaceFirst("\"value\": 1000,", "\"value\": 1e-300,");
        post(SIGN, tinyStrength).then().statusCode(200);
    }

    @Test
    void aHookInstanceTooLongOrUnprintableIs400() {
        // it is logged and audited with every card: a value the audit cannot hold must not reach it
        Response tooLong = post(SIGN, refill().replace("\"5b0ad0a4-3c5e-4d0f-9a55-2f1c1f3e8c11\"", "\"" + "h".repeat(129) + "\""));
        tooLong.then().statusCode(400);
        assertThat(tooLong.asString()).contains("hookInstance");
        post(SIGN, refill().replace("\"5b0ad0a4-3c5e-4d0f-9a55-2f1c1f3e8c11\"", "\"a\\u0000b\"")).then().statusCode(400);
        post(SIGN, refill().replace("\"5b0ad0a4-3c5e-4d0f-9a55-2f1c1f3e8c11\"", "\"" + "h".repeat(128) + "\"")).then().statusCode(200);
    }

    @Test
    void aBearerTokenThatCouldSplitAHeaderIs400NeverSent() {
        Response refused = post(SIGN, refill().replace("\"sandbox-demo-token\"", "\"abc\\r\\nX-Injected: 1\""));
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("fhirAuthorization.access_token");
    }

    /**
     * Prefetch is read only when a call has a pump order (most have none), but it is held to the same rules then: a
     * problem in it is a 400 naming where, never a card built on it.
     */
    @Test
    void aProblemInPrefetchIs400NamingPrefetch() {
        String withPrefetch = read(Path.of(WITH_PREFETCH));
        post(SIGN, withPrefetch).then().statusCode(200);

        Response outOfRange = post(SIGN, withPrefetch.replaceFirst("\"value\": 84", "\"value\": 1e400"));
        outOfRange.then().statusCode(400);
        assertThat(outOfRange.asString()).contains("prefetch.observations.entry[2].resource.valueQuantity.value");

        Response repeated = post(SIGN, withPrefetch.replaceFirst("\"status\": \"final\",", "\"status\": \"final\", \"status\": \"amended\","));
        repeated.then().statusCode(400);
        assertThat(repeated.asString()).contains("prefetch").contains("repeats a key");

        Response malformed = post(SIGN, withPrefetch.replaceFirst("\"status\": \"final\",", "\"status\": \"final\",,"));
        malformed.then().statusCode(400);
        assertThat(malformed.asString()).contains("not valid JSON");
    }

    @Test
    void prefetchIsCheckedToBeJsonEvenWhenNoOrderNeedsIt() {
        String nonPump = read(Path.of("src/test/resources/bench/non-pump-order-sign.json"));
        post(SIGN, nonPump).then().statusCode(200);
        post(SIGN, nonPump.replaceFirst("\"status\":\"final\",", "\"status\":\"final\",,")).then().statusCode(400);
        post(SIGN, nonPump.replaceFirst("\"prefetch\":\\{", "\"prefetch\":{\"x\":[}")).then().statusCode(400);
    }

    @Test
    void aTopLevelKeyRepeatedOrAnythingAfterTheObjectIs400() {
        String withPrefetch = read(Path.of(WITH_PREFETCH));
        String twice = withPrefetch.substring(0, withPrefetch.lastIndexOf('}')) + ", \"prefetch\": null}";
        Response refused = post(SIGN, twice);
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("repeats a key");
        post(SIGN, withPrefetch + " {}").then().statusCode(400);
        post(SIGN, "[]").then().statusCode(400);
    }

    /**
     * A prefetch sent before the orders is kept unread until the orders call for it: the same cards as when the
     * orders come first, and the same 400 naming where a number no double can hold sits in it.
     */
    @Test
    void prefetchBeforeContextGivesTheSameAnswer() {
        ObjectNode prefetchFirst = prefetchFirst();
        assertThat(prefetchFirst.propertyNames().iterator().next()).isEqualTo("prefetch");

        assertThat(withoutIds(json(post(SIGN, prefetchFirst.toString()).then().statusCode(200).extract().response())))
                .isEqualTo(withoutIds(json(post(SIGN, read(Path.of(WITH_PREFETCH))).then().statusCode(200).extract().response())))
                .isNotEqualTo(JSON.readTree("{\"cards\":[]}"));

        Response outOfRange = post(SIGN, prefetchFirst.toString().replaceFirst("\"value\":84", "\"value\":1e400"));
        outOfRange.then().statusCode(400);
        assertThat(outOfRange.asString()).contains("prefetch.observations.entry[2].resource.valueQuantity.value");
    }

    /** The README's request with prefetch, its prefetch moved before the orders. */
    private ObjectNode prefetchFirst() {
        ObjectNode contextFirst = (ObjectNode) JSON.readTree(read(Path.of(WITH_PREFETCH)));
        ObjectNode prefetchFirst = JSON.createObjectNode();
        prefetchFirst.set("prefetch", contextFirst.get("prefetch"));
        contextFirst.properties().forEach(field -> prefetchFirst.set(field.getKey(), field.getValue()));
        return prefetchFirst;
    }

    /** The answer with card and suggestion uuids (new on every call) taken out. */
    private static JsonNode withoutIds(JsonNode answer) {
        return JSON.readTree(answer.toString().replaceAll("\"uuid\":\"[^\"]+\"", "\"uuid\":\"-\""));
    }

    /** JSON may come in UTF-16 (RFC 8259 allows reading it): the prefetch is then read whole, with the same answer. */
    @Test
    void aUtf16BodyGetsTheSameAnswer() {
        ObjectNode prefetchFirst = prefetchFirst();
        Response utf16 = given().contentType("application/json")
                .body(prefetchFirst.toString().getBytes(java.nio.charset.StandardCharsets.UTF_16BE)).post(SIGN);
        assertThat(withoutIds(json(utf16.then().statusCode(200).extract().response())))
                .isEqualTo(withoutIds(json(post(SIGN, prefetchFirst.toString()).then().statusCode(200).extract().response())));
    }

    /** A key is the client's own text (it could be a name or forge a log line): errors never echo it. */
    @Test
    void anErrorNeverEchoesAKeyTheClientChose() {
        Response badJson = post(SIGN, "{\"Jane Doe 1950-01-01\\nINFO forged\": [1,]}");
        badJson.then().statusCode(400);
        assertThat(badJson.asString()).doesNotContain("Jane").doesNotContain("forged");
        Response badNumber = post(SIGN, refill().replaceFirst("\"value\": 1000,", "\"value\": {\"Jane Doe\": 1e400},"));
        badNumber.then().statusCode(400);
        assertThat(badNumber.asString()).doesNotContain("Jane").contains("context.draftOrders.entry[0]");
        Response unknownTop = post(SIGN, "{\"Jane Doe\": 1e400}");
        unknownTop.then().statusCode(400);
        assertThat(unknownTop.asString()).doesNotContain("Jane");
    }
}
