package org.pumpcds.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The card audit and feedback analytics.
 *
 * @param patientKey    secret (at least 32 characters) under which patient ids are hashed in the card audit; every
 *                      instance on one database needs the same one. Unset: a random key per start, so hashes do not
 *                      match across restarts or instances
 * @param queueCapacity cards waiting to be written; when full, calls wait for room while the database answers, and
 *                      a card is lost and counted ({@code pumpcds.audit.cards.lost}) while it is down
 * @param retention     how long audit rows and feedback are kept; older ones are deleted hourly
 * @param retryDelay    wait between attempts to write the audit while the database is unavailable
 * @param shutdownGrace how long a shutdown waits for the queued audit rows to be written
 */
@ConfigurationProperties("pumpcds.audit")
public record AuditProperties(
        String patientKey,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("730d") Duration retention,
        @DefaultValue("1s") Duration retryDelay,
        @DefaultValue("10s") Duration shutdownGrace) {
}
