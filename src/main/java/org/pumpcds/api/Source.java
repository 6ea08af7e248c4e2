package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where a card's guidance comes from; {@code topic} carries the rule id so feedback can be counted per rule. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Source(String label, String url, String icon, Coding topic) {
}
