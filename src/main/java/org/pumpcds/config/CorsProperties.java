package org.pumpcds.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CORS for browser clients such as the CDS Hooks Sandbox.
 *
 * @param allowedOrigins origin patterns allowed to call; {@code *} (the default) allows any, never with credentials
 */
@ConfigurationProperties("pumpcds.cors")
public record CorsProperties(@DefaultValue("*") List<String> allowedOrigins) {
}
