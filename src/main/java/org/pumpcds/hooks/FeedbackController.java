package org.pumpcds.hooks;

import org.pumpcds.engine.CdsServiceDescriptor;
import java.util.List;
import org.pumpcds.feedback.FeedbackItem;
import org.pumpcds.feedback.FeedbackReader;
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
            throw CdsRequestException.invalid("", JsonProblems.describe(e, true));
        } catch (NumberFormatException | ArithmeticException e) {
            throw CdsRequestException.invalid("", "the request body has a number no reader can represent");
        }
        try {
            return FeedbackReader.read(root);
        } catch (FeedbackReader.InvalidFeedbackException e) {
            throw new CdsRequestException(HttpStatus.BAD_REQUEST, "invalid",
                    e.problems().stream().map(p -> new Problem(p.path(), p.message())).toList());
        }
    }
}
