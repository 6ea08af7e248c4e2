package org.pumpcds.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a client may send.
 *
 * @param maxBodySize      largest request body accepted; a larger one is refused with 413 before or while it arrives
 * @param bodyReadDeadline time a client has to send its whole body; a slower one gets 408 and the connection closes
 */
@ConfigurationProperties("pumpcds.http")
public record HttpLimitsProperties(
        @DefaultValue("4MB") DataSize maxBodySize,
        @DefaultValue("10s") Duration bodyReadDeadline) {
}
