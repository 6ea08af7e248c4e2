package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CdsResponse(@JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards, List<Action> systemActions) {

    public static CdsResponse of(List<Card> cards) {
        return new CdsResponse(List.copyOf(cards), null);
    }
}
