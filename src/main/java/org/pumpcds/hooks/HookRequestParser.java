package org.pumpcds.hooks;

import org.pumpcds.engine.CdsServiceDescriptor;
import org.pumpcds.engine.PumpOrderEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.pumpcds.hooks.CdsRequestException.Problem;
import org.pumpcds.api.FhirAuthorization;
import org.pumpcds.api.HookRequest;
import org.pumpcds.api.OrderContext;
import org.pumpcds.net.HttpUrl;
import org.springframework.stereotype.Component;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a service call body. Every problem is reported at once, each naming the field; messages
 * never quote the values sent (they may be patient data). Unknown fields and extensions are ignored, and
 * known deviations seen in public payloads are tolerated where the meaning is unambiguous (a missing userId,
 * a {@code Patient/} prefix on patientId, {@code null} for absent optional objects).
 */
@Component
class HookRequestParser {

    private static final Pattern SELECTION = Pattern.compile("^[A-Z][A-Za-z]+/[^/\\s]+$");
    /** The top-level fields of a CDS Hooks request, which errors may name. */
    private static final Set<String> FIELDS = Set.of("hook", "hookInstance", "fhirServer", "fhirAuthorization", "context", "prefetch");
    private static final Pattern HOOK_INSTANCE = Pattern.compile("^[\\x21-\\x7e]{1,128}$");
    /** RFC 6750 section 2.1 b64token: the token is sent in an Authorization header, so nothing else may pass. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("^[A-Za-z0-9\\-._~+/]+=*$");

    private final ObjectMapper json;
    private final PumpOrderEngine engine;
    private final ObjectReader finiteNumbersOnly;
    /** Reads one top-level value from a parser that goes on to the next field. */
    private final ObjectReader valueReader;

    HookRequestParser(ObjectMapper json, PumpOrderEngine engine) {
        this.json = json;
        this.engine = engine;
        this.finiteNumbersOnly = json.reader().with(new FiniteNumbers());
        this.valueReader = finiteNumbersOnly.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    HookRequest parse(byte[] body, CdsServiceDescriptor service) {
        Body read = readJson(body);
        JsonNode root = read.topLevel();
        List<Problem> problems = new ArrayList<>();

        String hook = requiredString(root, "hook", "hook", problems);
        if (hook != null && !hook.equals(service.hook())) {
            problems.add(new Problem("hook", "service " + service.id() + " answers the " + service.hook()
                    + " hook; this request is for another hook"));
        }
        String hookInstance = requiredString(root, "hookInstance", "hookInstance", problems);
        if (hookInstance != null && !HOOK_INSTANCE.matcher(hookInstance).matches()) {
            // logged and audited with every card: printable, and no longer than the audit keeps (a UUID is 36)
            problems.add(new Problem("hookInstance", "hookInstance must be 1 to 128 printable characters (a UUID)"));
            hookInstance = null;
        }

        String fhirServer = optionalString(root, "fhirServer", "fhirServer", problems);
        if (fhirServer != null && HttpUrl.parse(fhirServer).isEmpty()) {
            problems.add(new Problem("fhirServer", "fhirServer must be an absolute http(s) URL without userinfo, fragment or dot segments"));
        }
        FhirAuthorization authorization = authorization(root.get("fhirAuthorization"), problems);
        if (authorization != null && fhirServer == null) {
            problems.add(new Problem("fhirAuthorization", "fhirAuthorization requires fhirServer"));
        }

        OrderContext context = context(root.get("context"), service, problems);

        JsonNode prefetch = root.get("prefetch");
        if (prefetch != null && !prefetch.isNull() && !prefetch.isObject()) {
            problems.add(new Problem("prefetch", "prefetch must be an object"));
        }
        if (!problems.isEmpty()) {
            throw new CdsRequestException(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid", problems);
        }
        Supplier<JsonNode> prefetched = read.prefetch();
        if (prefetched == null && prefetch != null && prefetch.isObject()) {
            prefetched = () -> prefetch; // read with the rest: an order before it may concern a pump
        }
        return new HookRequest(hook, hookInstance, fhirServer, authorization, context, prefetched);
    }

    /**
     * A request body as read: its top level as a tree, except a prefetch object when no order read before it may
     * concern a pump: that one is only checked to be well-formed JSON and kept as bytes until a call with a pump
     * order asks for it (most calls have none, and prefetch is most of a request).
     *
     * @param prefetch the prefetch object, read from its bytes when first asked; null when prefetch is not an object
     */
    private record Body(JsonNode topLevel, Supplier<JsonNode> prefetch) {
    }

    private Body readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw CdsRequestException.invalid("", "the request body is empty; a CDS Hooks request is a JSON object");
        }
        ObjectNode topLevel = JsonNodeFactory.instance.objectNode();
        Supplier<JsonNode> prefetch = null;
        String field = "";
        String reading = null; // the top-level field whose value is being read, to name it in an error
        try (JsonParser parser = finiteNumbersOnly.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                finiteNumbersOnly.readTree(body); // says what is wrong first, if the JSON itself is
                throw CdsRequestException.invalid("", "the request body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (topLevel.has(field) || field.equals("prefetch") && prefetch != null) {
                    throw CdsRequestException.invalid("", JsonProblems.repeatedKey(parser.currentTokenLocation()));
                }
                reading = FIELDS.contains(field) ? field : ""; // a key of the client's own is never echoed
                // the byte offset is known in UTF-8 (the CDS Hooks encoding); a UTF-16 or UTF-32 body is read whole
                long start = field.equals("prefetch") && value == JsonToken.START_OBJECT
                        ? parser.currentTokenLocation().getByteOffset() : -1;
                if (start >= 0 && !pumpOrdered(topLevel)) {
                    parser.skipChildren(); // tokenised to its end, so malformed JSON is refused now, but not built
                    long end = parser.currentTokenLocation().getByteOffset() + 1;
                    prefetch = deferred(body, (int) start, (int) (end - start));
                } else {
                    JsonNode node = valueReader.readTree(parser);
                    topLevel.set(field, node == null ? NullNode.getInstance() : node);
                }
                reading = null;
            }
            if (parser.nextToken() != null) {
                throw CdsRequestException.invalid("", "the request body is not valid JSON: something follows its object");
            }
        } catch (FiniteNumbers.OutOfRange | JacksonException | NumberFormatException | ArithmeticException e) {
            String top = field;
            throw refusal(e, reading == null ? "" : reading, () -> json.readTree(body).get(top), true);
        }
        return new Body(topLevel, prefetch);
    }

    /**
     * The 400 for a problem found while reading JSON.
     *
     * @param field   the top-level field being read, named in the answer ("" for none, or a key of the client's own)
     * @param reread  the field's value read again without the number check, to find the path of the number that
     *                failed it (only a request that fails pays for that)
     * @param located whether the parser's line and column are the body's (not those of a part read on its own)
     */
    private static CdsRequestException refusal(RuntimeException problem, String field, Supplier<JsonNode> reread,
            boolean located) {
        if (problem instanceof FiniteNumbers.OutOfRange) {
            String where;
            try {
                where = JsonProblems.firstNonFiniteNumber(reread.get(), field);
            } catch (JacksonException e) { // a later problem in the JSON: name the field
                where = field;
            }
            return CdsRequestException.invalid(where, (where.isEmpty() ? "the request body has a number" : where + " is a number")
                    + " beyond the range this service can compute with");
        }
        if (problem instanceof JacksonException e) {
            return CdsRequestException.invalid(field, (field.isEmpty() ? "" : field + ": ") + JsonProblems.describe(e, located));
        }
        return CdsRequestException.invalid(field, (field.isEmpty() ? "the request body" : field) + " has a number no reader can represent");
    }

    /** Whether the orders, if read already (context usually comes before prefetch), may concern a pump. */
    private boolean pumpOrdered(JsonNode topLevel) {
        JsonNode draftOrders = topLevel.path("context").path("draftOrders");
        return draftOrders.isObject() && engine.mayConcernPump(draftOrders);
    }

    /**
     * The prefetch object read from its bytes when first asked, with the same checks as the rest of the request; a
     * problem found then is the same 400, naming prefetch.
     */
    private Supplier<JsonNode> deferred(byte[] body, int offset, int length) {
        return new Supplier<>() {
            private JsonNode prefetch;

            @Override
            public JsonNode get() {
                if (prefetch == null) {
                    prefetch = read();
                }
                return prefetch;
            }

            private JsonNode read() {
                try {
                    return finiteNumbersOnly.readTree(body, offset, length);
                } catch (FiniteNumbers.OutOfRange | JacksonException | NumberFormatException | ArithmeticException e) {
                    throw refusal(e, "prefetch", () -> json.readTree(body, offset, length), false);
                }
            }
        };
    }

    private static FhirAuthorization authorization(JsonNode node, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(new Problem("fhirAuthorization", "fhirAuthorization must be an object"));
            return null;
        }
        String token = requiredString(node, "access_token", "fhirAuthorization.access_token", problems);
        if (token != null && !BEARER_TOKEN.matcher(token).matches()) {
            problems.add(new Problem("fhirAuthorization.access_token",
                    "fhirAuthorization.access_token must be a bearer token (RFC 6750 b64token characters)"));
            token = null;
        }
        String tokenType = optionalString(node, "token_type", "fhirAuthorization.token_type", problems);
        if (tokenType != null && !tokenType.equalsIgnoreCase("Bearer")) {
            problems.add(new Problem("fhirAuthorization.token_type", "fhirAuthorization.token_type must be Bearer"));
        }
        JsonNode expires = node.get("expires_in");
        Long expiresIn = expires != null && expires.canConvertToLong() ? expires.asLong() : null;
        return new FhirAuthorization(token, tokenType, expiresIn,
                optionalString(node, "scope", "fhirAuthorization.scope", problems),
                optionalString(node, "subject", "fhirAuthorization.subject", problems),
                optionalString(node, "patient", "fhirAuthorization.patient", problems));
    }

    private static OrderContext context(JsonNode node, CdsServiceDescriptor service, List<Problem> problems) {
        if (node == null || node.isNull()) {
            problems.add(new Problem("context", "context is required"));
            return null;
        }
        if (!node.isObject()) {
            problems.add(new Problem("context", "context must be an object"));
            return null;
        }
        String patientId = requiredString(node, "patientId", "context.patientId", problems);
        if (patientId != null && patientId.startsWith("Patient/")) {
            patientId = patientId.substring("Patient/".length());
        }
        String userId = optionalString(node, "userId", "context.userId", problems);
        String encounterId = optionalString(node, "encounterId", "context.encounterId", problems);

        JsonNode draftOrders = node.get("draftOrders");
        if (draftOrders == null || draftOrders.isNull()) {
            problems.add(new Problem("context.draftOrders", "context.draftOrders is required for " + service.hook()));
        } else if (!draftOrders.isObject() || !"Bundle".equals(draftOrders.path("resourceType").asString(""))) {
            problems.add(new Problem("context.draftOrders", "context.draftOrders must be a FHIR Bundle"));
        } else if (draftOrders.has("entry") && !draftOrders.get("entry").isArray()) {
            problems.add(new Problem("context.draftOrders.entry", "context.draftOrders.entry must be an array"));
        }

        List<String> selections = null;
        if (service.scopedToSelections()) {
            JsonNode selected = node.get("selections");
            if (selected == null || selected.isNull()) {
                problems.add(new Problem("context.selections", "context.selections is required for order-select"));
            } else if (!selected.isArray() || selected.isEmpty()) {
                problems.add(new Problem("context.selections", "context.selections must be a non-empty array"));
            } else {
                selections = new ArrayList<>();
                for (int i = 0; i < selected.size(); i++) {
                    JsonNode item = selected.get(i);
                    if (!item.isString() || !SELECTION.matcher(item.asString()).matches()) {
                        problems.add(new Problem("context.selections[" + i + "]",
                                "context.selections[" + i + "] must be a string of the form Type/id"));
                    } else {
                        selections.add(item.asString());
                    }
                }
            }
        }
        return new OrderContext(userId, patientId, encounterId, selections, draftOrders);
    }

    private static String requiredString(JsonNode parent, String field, String path, List<Problem> problems) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || (value.isString() && value.asString().isBlank())) {
            problems.add(new Problem(path, path + " is required"));
            return null;
        }
        if (!value.isString()) {
            problems.add(new Problem(path, path + " must be a string"));
            return null;
        }
        return value.asString();
    }

    private static String optionalString(JsonNode parent, String field, String path, List<Problem> problems) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            problems.add(new Problem(path, path + " must be a string"));
            return null;
        }
        return value.asString();
    }
}
