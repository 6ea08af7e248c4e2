package org.pumpcds.feedback;

import java.time.Instant;
import java.util.List;

/** One validated feedback item (CDS Hooks 2.0 section "Feedback"). */
public record FeedbackItem(String cardUuid, String outcome, Instant outcomeTimestamp, List<String> acceptedSuggestions,
        String overrideReasonSystem, String overrideReasonCode, String userComment) {
}
