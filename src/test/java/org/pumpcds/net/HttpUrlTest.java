package org.pumpcds.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** URLs are compared as parsed parts; every spelling an attacker used against string prefixes is told apart. */
class HttpUrlTest {

    private static HttpUrl url(String text) {
        return HttpUrl.parse(text).orElseThrow();
    }

    private static boolean within(String candidate, String base) {
        return HttpUrl.parse(candidate).map(u -> u.isWithin(url(base))).orElse(false);
    }

    @Test
    void samePathOrBelowOnTheSameOriginIsWithin() {
        assertThat(within("https://ehr.example.org/fhir?_getpages=1", "https://ehr.example.org/fhir")).isTrue();
        assertThat(within("https://EHR.example.org:443/fhir/Obs?page=2", "https://ehr.example.org/fhir/")).isTrue();
        assertThat(within("HTTP://ehr.example.org:80/fhir/Patient/1", "http://ehr.example.org/fhir")).isTrue();
        assertThat(within("https://ehr.example.org/anything", "https://ehr.example.org")).isTrue();
    }

    @Test
    void anotherHostSchemePortOrPathIsNot() {
        assertThat(within("https://ehr.example.org.evil.test/fhir", "https://ehr.example.org/fhir")).isFalse();
        assertThat(within("http://ehr.example.org/fhir", "https://ehr.example.org/fhir")).isFalse();
        assertThat(within("https://ehr.example.org/other", "https://ehr.example.org/fhir")).isFalse();
        assertThat(within("https://ehr.example.org/fhirx/Patient", "https://ehr.example.org/fhir")).isFalse();
        assertThat(within("https://ehr.example.org:8443/fhir", "https://ehr.example.org/fhir")).isFalse();
        // a port that merely starts with the allowed port's digits
        assertThat(within("http://127.0.0.1:8081/fhir", "http://127.0.0.1:80")).isFalse();
    }

    @Test
    void userinfoFragmentsDotSegmentsAndOtherSchemesDoNotParse() {
        assertThat(HttpUrl.parse("http://127.0.0.1:80@evil.test:8081/fhir")).isEmpty();
        assertThat(HttpUrl.parse("https://user:pw@ehr.example.org/fhir")).isEmpty();
        assertThat(HttpUrl.parse("https://ehr.example.org/fhir/../admin")).isEmpty();
        assertThat(HttpUrl.parse("http://127.0.0.1:19096/fhir/%2e%2e/admin")).isEmpty();
        assertThat(HttpUrl.parse("http://127.0.0.1:19096/fhir/%2E./admin")).isEmpty();
        assertThat(HttpUrl.parse("https://ehr.example.org/fhir/..;/admin")).isEmpty();
        assertThat(HttpUrl.parse("https://ehr.example.org/fhir;x/Patient")).isEmpty();
        assertThat(HttpUrl.parse("https://ehr.example.org/fhir/..%3B/admin")).isEmpty();
        assertThat(HttpUrl.parse("http://127.0.0.1:19093/ok/..%2f..%2fnext1")).isEmpty();
        assertThat(HttpUrl.parse("http://127.0.0.1:19093/ok/a%5Cb")).isEmpty();
        assertThat(HttpUrl.parse("https://ehr.example.org/fhir#x")).isEmpty();
        assertThat(HttpUrl.parse("file:///etc/passwd")).isEmpty();
        assertThat(HttpUrl.parse("https:///fhir")).isEmpty();
        assertThat(HttpUrl.parse("not a url")).isEmpty();
        assertThat(HttpUrl.parse(null)).isEmpty();
    }

    @Test
    void sameResourceIgnoresTheQueryButNotThePath() {
        assertThat(url("https://sandbox.cds-hooks.org/.well-known/jwks.json")
                .sameResource(url("https://SANDBOX.cds-hooks.org:443/.well-known/jwks.json?x=1"))).isTrue();
        assertThat(url("https://sandbox.cds-hooks.org/.well-known/jwks.json")
                .sameResource(url("https://sandbox.cds-hooks.org/.well-known/jwks.json/more"))).isFalse();
    }

    @Test
    void originNamesTheServerWithoutPathOrQuery() {
        assertThat(url("https://ehr.example.org/fhir/Patient/123?x=y").origin()).isEqualTo("https://ehr.example.org:443");
    }
}
