package org.pumpcds.hapi;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pumpcds.feedback.FeedbackItem;
import org.pumpcds.feedback.FeedbackReader;
import org.pumpcds.feedback.FeedbackStore;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /cds-services/{id}/feedback} for the plug-in's services: HAPI can route feedback only to services
 * declared by annotation, so this servlet is mapped on each service's exact feedback path (more specific than the
 * host's {@code /cds-services/*}). Same reading and storing as the standalone service: every item validated (400
 * naming item and field, as an OperationOutcome), each stored once, 200 with how many were new.
 */
final class FeedbackServlet extends HttpServlet {

    /** Feedback bodies are small; a larger one is refused rather than read. */
    static final int MAX_BODY = 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final transient FeedbackStore store;
    private final String serviceId;

    FeedbackServlet(FeedbackStore store, String serviceId) {
        this.store = store;
        this.serviceId = serviceId;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // JSON only: a form or text POST from any web page would otherwise need no CORS preflight
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json") && !type.matches("application/[a-z0-9.+-]*\\+json.*")) {
            problem(response, 415, "not-supported", "", "feedback must be sent as application/json");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            problem(response, 413, "too-costly", "", "the feedback body is larger than " + MAX_BODY + " bytes");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            problem(response, 413, "too-costly", "", "the feedback body is larger than " + MAX_BODY + " bytes");
            return;
        }
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException | NumberFormatException | ArithmeticException e) {
            problem(response, 400, "invalid", "", "the request body is not valid JSON");
            return;
        }
        List<FeedbackItem> items;
        try {
            items = FeedbackReader.read(root);
        } catch (FeedbackReader.InvalidFeedbackException e) {
            ObjectNode outcome = outcome();
            e.problems().forEach(p -> issue(outcome, "invalid", p.path(), p.message()));
            write(response, 400, outcome);
            return;
        }
        ObjectNode receipt = JSON.createObjectNode();
        receipt.put("received", items.size());
        receipt.put("stored", store.store(serviceId, items));
        write(response, 200, receipt);
    }

    private static ObjectNode outcome() {
        ObjectNode outcome = JSON.createObjectNode();
        outcome.put("resourceType", "OperationOutcome");
        outcome.putArray("issue");
        return outcome;
    }

    private static void issue(ObjectNode outcome, String code, String path, String message) {
        ObjectNode issue = ((ArrayNode) outcome.get("issue")).addObject();
        issue.put("severity", "error");
        issue.put("code", code);
        issue.put("diagnostics", message);
        if (!path.isEmpty()) {
            issue.putArray("expression").add(path);
        }
    }

    private static void problem(HttpServletResponse response, int status, String code, String path, String message)
            throws IOException {
        ObjectNode outcome = outcome();
        issue(outcome, code, path, message);
        write(response, status, outcome);
    }

    private static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
