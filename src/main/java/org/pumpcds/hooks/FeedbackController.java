package org.pumpcds.hooks;

import org.pumpcds.engine.CdsServiceDescriptor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.pumpcds.feedback.FeedbackItem;
import org.pumpcds.feedback.FeedbackStore;
import org.pumpcds.hooks.CdsRequestException.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /cds-services/{id}/feedback} (CDS Hooks 2.0 "Feedback"): validates every item (400 naming the
 * item and field), stores each once, answers 200 with how many items were new.
 */
@RestController
class FeedbackController {

    record Receipt(int received, int stored) {
    }

    private final CdsServicesController services;
    private final FeedbackStore store;
    private final ObjectMapper json;

    FeedbackController(CdsServicesController services, FeedbackStore store, ObjectMapper json) {
        this.services = services;
        this.store = store;
        this.json = json;
    }

    @PostMapping(path = "/cds-services/{id}/feedback", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    Receipt feedback(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        CdsServiceDescriptor service = services.service(id);
        List<FeedbackItem> items = parse(body);
        return new Receipt(items.size(), store.store(service.id(), items));
    }

    private List<FeedbackItem> parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw CdsRequestException.invalid("", JsonProblems.describe(e));
        } catch (NumberFormatException | ArithmeticException e) {
            throw CdsRequestException.invalid("", "the request body has a number no reader can represent");
        }
        if (root == null || !root.isObject() || !root.path("feedback").isArray() || root.get("feedback").isEmpty()) {
            throw CdsRequestException.invalid("feedback", "the body must be an object with a non-empty feedback array");
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
            throw new CdsRequestException(HttpStatus.BAD_REQUEST, "invalid", problems);
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
