package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One entry of the discovery response. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ServiceEntry(String hook, String title, String description, String id, Map<String, String> prefetch,
        String usageRequirements) {
}
