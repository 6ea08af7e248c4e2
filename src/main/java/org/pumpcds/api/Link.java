package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code type} is {@code absolute} or {@code smart}; {@code appContext} only for smart links. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Link(String label, String url, String type, String appContext) {
}
