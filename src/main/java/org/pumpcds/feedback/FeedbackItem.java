package org.pumpcds.feedback;

import java.time.Instant;
import java.util.List;

/** One validated feedback item (CDS Hooks 2.0 section "Feedback"). */
public record FeedbackItem(String cardUuid, String outcome, Instant outcomeTimestamp, List<String> acceptedSuggestions,
        String overrideReasonSystem, String overrideReasonCode, String userComment) {

    /** Longest values stored, in characters: the column sizes of the feedback table (V1__feedback.sql). */
    public static final int MAX_CARD = 128;
    public static final int MAX_REASON_SYSTEM = 512;
    public static final int MAX_REASON_CODE = 128;
    public static final int MAX_COMMENT = 4000;
    /** All accepted suggestion ids of one item, joined by spaces. */
    public static final int MAX_SUGGESTIONS = 4000;
}
