package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Suggestion(String label, String uuid, @JsonProperty("isRecommended") Boolean isRecommended,
        List<Action> actions) {
}
