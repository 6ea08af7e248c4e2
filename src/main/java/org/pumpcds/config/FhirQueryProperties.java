package org.pumpcds.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * FHIR queries to the EHR's server: fallback prefetch queries, and reads of referenced resources.
 *
 * @param connectTimeout  time to open a connection to the EHR's FHIR server
 * @param readTimeout     time to wait for each answer's headers on an open connection
 * @param callDeadline    time all queries of one hook call may take together, from the call's start; past it they are
 *                        aborted: a prefetch query that did not finish makes the call answer 412, a referenced
 *                        resource not read is not available to the rules
 * @param maxPages        pages followed per search through {@code next} links (the rest is marked incomplete)
 * @param threads         threads that read and parse FHIR answers (requests themselves hold no thread while waiting)
 * @param maxResponseSize largest answer read, counted after decompression; a larger one is refused
 * @param maxPerServer    queries in flight to any one server at once (a bulkhead: one bad server cannot take them all);
 *                        more wait their turn within the call deadline
 * @param allowedServers  base URLs of the FHIR servers the service may query; empty = any with the sandbox on,
 *                        none with it off
 */
@ConfigurationProperties("pumpcds.fhir-query")
public record FhirQueryProperties(
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("3s") Duration readTimeout,
        @DefaultValue("4s") Duration callDeadline,
        @DefaultValue("10") int maxPages,
        @DefaultValue("8") int threads,
        @DefaultValue("8MB") DataSize maxResponseSize,
        @DefaultValue("32") int maxPerServer,
        @DefaultValue List<String> allowedServers) {
}
