package org.pumpcds.feedback;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a feedback body (CDS Hooks 2.0 section "Feedback"): every item validated, each problem naming the item and
 * field (never the value: a comment may identify the patient). Shared by both hosts.
 */
public final class FeedbackReader {

    /** One problem: the field path (e.g. {@code feedback[0].outcome}) and what is wrong with it. */
    public record Problem(String path, String message) {
    }

    /** The body is not valid feedback: every problem found. */
    public static final class InvalidFeedbackException extends RuntimeException {

        private final transient List<Problem> problems;

        InvalidFeedbackException(List<Problem> problems) {
            super(problems.get(0).message());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    private FeedbackReader() {
    }

    /** @param root the parsed body, or null when there was none */
    public static List<FeedbackItem> read(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("feedback").isArray() || root.get("feedback").isEmpty()) {
            throw new InvalidFeedbackException(List.of(new Problem("feedback",
                    "the body must be an object with a non-empty feedback array")));
        }
        List<Problem> problems = new ArrayList<>();
        List<FeedbackItem> items = new ArrayList<>();
        JsonNode feedback = root.get("feedback");
        for (int i = 0; i < feedback.size(); i++) {
            FeedbackItem item = item(feedback.get(i), "feedback[" + i + "]", problems);
            if (item != null) {
                items.add(item);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFeedbackException(problems);
        }
        return items;
    }

    private static FeedbackItem item(JsonNode node, String path, List<Problem> problems) {
        if (!node.isObject()) {
            problems.add(new Problem(path, path + " must be an object"));
            return null;
        }
        int before = problems.size();
        String card = text(node, "card", path, problems);
        tooLong(card, FeedbackItem.MAX_CARD, path + ".card", problems);
        String outcome = text(node, "outcome", path, problems);
        if (outcome != null && !outcome.equals("accepted") && !outcome.equals("overridden")) {
            problems.add(new Problem(path + ".outcome", path + ".outcome must be accepted or overridden"));
        }
        Instant timestamp = null;
        String rawTimestamp = text(node, "outcomeTimestamp", path, problems);
        if (rawTimestamp != null) {
            try {
                timestamp = OffsetDateTime.parse(rawTimestamp).toInstant();
            } catch (DateTimeParseException e) {
                problems.add(new Problem(path + ".outcomeTimestamp",
                        path + ".outcomeTimestamp must be an RFC 3339 date-time with a time zone"));
            }
        }
        List<String> accepted = new ArrayList<>();
        JsonNode suggestions = node.get("acceptedSuggestions");
        if ("accepted".equals(outcome) && (suggestions == null || !suggestions.isArray() || suggestions.isEmpty())) {
            problems.add(new Problem(path + ".acceptedSuggestions",
                    path + ".acceptedSuggestions is required when the outcome is accepted"));
        } else if (suggestions != null && suggestions.isArray()) {
            for (int i = 0; i < suggestions.size(); i++) {
                JsonNode sid = suggestions.get(i).get("id");
                if (sid == null || !sid.isString() || sid.asString().isBlank()) {
                    problems.add(new Problem(path + ".acceptedSuggestions[" + i + "].id",
                            path + ".acceptedSuggestions[" + i + "].id is required"));
                } else {
                    accepted.add(sid.asString());
                }
            }
            tooLong(String.join(" ", accepted), FeedbackItem.MAX_SUGGESTIONS, path + ".acceptedSuggestions", problems);
        }
        String reasonSystem = null;
        String reasonCode = null;
        String comment = null;
        JsonNode override = node.get("overrideReason");
        if (override != null && !override.isNull()) {
            JsonNode reason = override.get("reason");
            if (reason != null && !reason.isNull()) {
                reasonSystem = text(reason, "system", path + ".overrideReason.reason", problems);
                reasonCode = text(reason, "code", path + ".overrideReason.reason", problems);
                tooLong(reasonSystem, FeedbackItem.MAX_REASON_SYSTEM, path + ".overrideReason.reason.system", problems);
                tooLong(reasonCode, FeedbackItem.MAX_REASON_CODE, path + ".overrideReason.reason.code", problems);
            }
            JsonNode userComment = override.get("userComment");
            comment = userComment != null && userComment.isString() ? userComment.asString() : null;
            tooLong(comment, FeedbackItem.MAX_COMMENT, path + ".overrideReason.userComment", problems);
        }
        if (problems.size() > before) {
            return null;
        }
        return new FeedbackItem(card, outcome, timestamp, accepted, reasonSystem, reasonCode, comment);
    }

    /** The message names the field and the limit, never the value (a comment may identify the patient). */
    private static void tooLong(String value, int max, String path, List<Problem> problems) {
        if (value != null && value.length() > max) {
            problems.add(new Problem(path, path + " is longer than " + max + " characters"));
        }
    }

    private static String text(JsonNode node, String field, String path, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            problems.add(new Problem(path + "." + field, path + "." + field + " is required and must be a string"));
            return null;
        }
        return value.asString();
    }
}
