package org.pumpcds.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fallback FHIR queries (when prefetch is missing).
 *
 * @param connectTimeout time to open a connection to the EHR's FHIR server
 * @param readTimeout    time to wait for each answer on an open connection
 * @param callDeadline   time all queries of one hook call may take together; past it the call answers 412
 * @param maxPages       pages followed per search through {@code next} links (the rest is marked incomplete)
 * @param threads        queries run at once across all calls
 * @param allowedServers URL prefixes of the FHIR servers the service may query; empty = any (the EHR decides)
 */
@ConfigurationProperties("pumpcds.fhir-query")
public record FhirQueryProperties(
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("3s") Duration readTimeout,
        @DefaultValue("4s") Duration callDeadline,
        @DefaultValue("10") int maxPages,
        @DefaultValue("32") int threads,
        @DefaultValue List<String> allowedServers) {
}
