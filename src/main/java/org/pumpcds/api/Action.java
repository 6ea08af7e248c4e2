package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/** A create/update (with the whole {@code resource}) or a delete (with {@code resourceId} as {@code Type/id}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Action(String type, String description, JsonNode resource, String resourceId) {
}
