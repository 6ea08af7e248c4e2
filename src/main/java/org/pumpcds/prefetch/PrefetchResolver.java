package org.pumpcds.prefetch;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.pumpcds.fhirjson.FhirJsonTree;
import tools.jackson.databind.JsonNode;


/**
 * Turns a request's prefetch into a {@link PatientRecord}, following the checklist's decision matrix:
 * <ul>
 *   <li>key present with a resource or Bundle: used (a {@code next} link is paged through fhirServer);</li>
 *   <li>key present with {@code null}: answered, no data; no query, no 412;</li>
 *   <li>key present with an OperationOutcome (alone, or an error inside a Bundle), or key absent: queried
 *       from fhirServer with the bearer token when both are given, otherwise 412 if the data is required.</li>
 * </ul>
 * All queries of one call run concurrently in one {@link QueryScope} and must finish within the call deadline;
 * whatever is still running then is aborted. The resources the rules follow references to are then read the same
 * way ({@link #readAll}), within what is left of the same deadline, so evaluation itself never waits on the network.
 */
public final class PrefetchResolver {

    private static final Logger log = LoggerFactory.getLogger(PrefetchResolver.class);
    private static final String NO_ACCESS_DEFAULT = "no fhirServer with fhirAuthorization to query";
    /** The one reason a failed query gives the caller; the log has the detail. */
    static final String QUERY_FAILED = "fhirServer gave no usable answer within the call deadline";
    /** A relative reference as FHIR R4 spells one: a type, then an id of up to 64 letters, digits, '-' and '.'. */
    /** Types the rules reach through references (Medication, payer and pharmacy, evidence, device). */
    private static final Set<String> REFERENCE_TARGETS = Set.of("Medication", "Organization", "DocumentReference", "Device");
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");

    private final FhirContext fhir;
    private final FhirQueryClient client;
    private final Duration callDeadline;
    private final PatientScope patientScope;

    public PrefetchResolver(FhirContext fhir, FhirQueryClient client, Duration callDeadline) {
        this.fhir = fhir;
        this.client = client;
        this.callDeadline = callDeadline;
        this.patientScope = new PatientScope(fhir);
    }

    /**
     * @param prefetch      the request's {@code prefetch} object, or null when absent
     * @param contextTokens values for {@code {{context.X}}} tokens
     * @param deadline      the call's deadline, which the queries share with the later reads of references
     * @throws InvalidPrefetchException     a prefetch value for one of our keys is not FHIR R4
     * @throws PrefetchUnavailableException required data could not be obtained
     */
    public PatientRecord resolve(List<PrefetchTemplate> templates, JsonNode prefetch, FhirAccess access,
            Map<String, String> contextTokens, CallDeadline deadline) {
        String noAccess = access.refusal() == null ? NO_ACCESS_DEFAULT : access.refusal();
        String patientId = contextTokens.get("patientId");
        Map<String, List<PatientRecord.Item>> data = new LinkedHashMap<>();
        Set<String> incomplete = new LinkedHashSet<>();
        List<PrefetchUnavailableException.Missing> missing = new ArrayList<>();
        Map<PrefetchTemplate, Function<QueryScope, CompletableFuture<FhirQueryClient.Fetched>>> queries = new LinkedHashMap<>();

        for (PrefetchTemplate template : templates) {
            Optional<String> url = template.render(contextTokens);
            if (url.isEmpty()) {
                continue; // the context lacks a token this template needs: nothing could have been prefetched
            }
            String key = template.key();
            JsonNode value = prefetch == null ? null : prefetch.get(key);
            String whyQuery;
            if (value != null && value.isNull()) {
                data.put(key, List.of());
                continue;
            } else if (value != null) {
                String type = resourceType(key, value);
                // a Bundle whose entries may refer to each other, or of unusual shape, is parsed whole as it always was
                Bundle whole = type.equals("Bundle") && !readEntryByEntry(value) ? (Bundle) parse(key, value) : null;
                if (whole != null ? !failedPrefetch(whole) : !failedPrefetch(type, value)) {
                    if (!type.equals("Bundle")) {
                        data.put(key, List.of(item(key, type, value, null)));
                        continue;
                    }
                    if (whole != null ? whole.getLink(Bundle.LINK_NEXT) == null : !hasNextLink(value)) {
                        data.put(key, whole != null ? FhirQueryClient.entries(whole).stream().map(PatientRecord.Item::parsed).toList()
                                : entries(key, value));
                        continue;
                    }
                    if (access.available()) {
                        Bundle bundle = whole != null ? whole : (Bundle) parse(key, value);
                        List<Resource> entries = FhirQueryClient.entries(bundle);
                        queries.put(template, scope -> client.remainingPages(scope, access, template, bundle, entries));
                        continue;
                    }
                    whyQuery = "prefetch is paginated (it has a next link) and there is " + noAccess
                            + " for the remaining pages";
                } else {
                    whyQuery = "prefetch held an OperationOutcome (the EHR's prefetch failed) and there is " + noAccess;
                }
            } else {
                whyQuery = "not in prefetch, and there is " + noAccess;
            }
            if (access.available()) {
                String relativeUrl = url.get();
                queries.put(template, scope -> client.fetch(scope, access, template, relativeUrl));
            } else if (template.required()) {
                missing.add(new PrefetchUnavailableException.Missing(key, whyQuery));
            } else {
                incomplete.add(key);
            }
        }

        if (!missing.isEmpty()) {
            throw new PrefetchUnavailableException(missing); // answer at once; querying would not change the 412
        }
        runConcurrently(queries, data, incomplete, missing, deadline);
        if (!missing.isEmpty()) {
            throw new PrefetchUnavailableException(missing);
        }
        return ownData(data, incomplete, patientId);
    }

    /** The resource type a prefetch value (or Bundle entry) names, which must be one FHIR R4 defines. */
    private String resourceType(String key, JsonNode value) {
        JsonNode type = value.isObject() ? value.get("resourceType") : null;
        if (type == null || !type.isString() || !fhir.getResourceTypes().contains(type.asString())) {
            throw new InvalidPrefetchException(key);
        }
        return type.asString();
    }

    /**
     * A Bundle's entries with a resource, other than OperationOutcomes, each parsed only when a rule reads its type.
     * Only for a Bundle {@link #readEntryByEntry} accepted: entries are objects, each resource names its type.
     */
    private List<PatientRecord.Item> entries(String key, JsonNode bundle) {
        List<PatientRecord.Item> items = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.get("resource");
            if (resource != null && resource.isObject()) {
                String type = resourceType(key, resource);
                if (!type.equals("OperationOutcome")) {
                    items.add(item(key, type, resource, entry));
                }
            }
        }
        return items;
    }

    /**
     * A resource sent as JSON, parsed when first read; an entry with the id the whole Bundle would give it.
     *
     * @param entry the Bundle entry holding the resource, or null for a resource sent on its own
     */
    private PatientRecord.Item item(String key, String type, JsonNode resource, JsonNode entry) {
        return PatientRecord.Item.unparsed(type, resource, () -> {
            try {
                return entry == null ? FhirJsonTree.parse(fhir, resource) : FhirJsonTree.parseEntry(fhir, entry);
            } catch (RuntimeException e) {
                throw new InvalidPrefetchException(key);
            }
        });
    }

    /**
     * Whether a Bundle's entries can be read one at a time, each when a rule needs it: the usual shape (entry, link
     * and OperationOutcome issues as arrays of objects, each resource naming its type), and no entry a rule could
     * reach through a reference from another entry (HAPI links those only when it parses the whole Bundle).
     */
    private static boolean readEntryByEntry(JsonNode bundle) {
        if (!arrayOfObjectsOrAbsent(bundle.get("entry")) || !arrayOfObjectsOrAbsent(bundle.get("link"))) {
            return false;
        }
        Set<String> types = new HashSet<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.get("resource");
            if (resource == null || resource.isNull()) {
                continue;
            }
            if (!resource.isObject() || !resource.path("resourceType").isString()) {
                return false;
            }
            String type = resource.get("resourceType").asString();
            if (type.equals("OperationOutcome") && !arrayOfObjectsOrAbsent(resource.get("issue"))) {
                return false;
            }
            types.add(type);
        }
        return types.size() < 2 || types.stream().noneMatch(REFERENCE_TARGETS::contains);
    }

    private static boolean arrayOfObjectsOrAbsent(JsonNode node) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode element : node) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNextLink(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asString(null))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The record without any resource that is not the context patient's, counting what was left out. Sent JSON is
     * judged as JSON (a Patient resource is parsed to be judged), and judged again when it is parsed: only what
     * passes on the parsed resource ever reaches a rule.
     */
    private PatientRecord ownData(Map<String, List<PatientRecord.Item>> data, Set<String> incomplete, String patientId) {
        Map<String, List<PatientRecord.Item>> own = new LinkedHashMap<>();
        int excluded = 0;
        for (Map.Entry<String, List<PatientRecord.Item>> entry : data.entrySet()) {
            List<PatientRecord.Item> kept = new ArrayList<>();
            for (PatientRecord.Item item : entry.getValue()) {
                boolean belongs = item.json() == null || item.type().equals("Patient")
                        ? item.resource() != null && patientScope.belongsTo(item.resource(), patientId)
                        : patientScope.belongsTo(item.type(), item.json(), patientId);
                if (belongs) {
                    kept.add(item.json() == null ? item : item.keepingOnly(r -> patientScope.belongsTo(r, patientId)));
                } else {
                    excluded++;
                }
            }
            own.put(entry.getKey(), kept);
        }
        if (excluded > 0) {
            log.warn("{} resource(s) not belonging to the context patient were left out of the record", excluded);
        }
        return PatientRecord.of(own, incomplete, excluded);
    }

    private void runConcurrently(Map<PrefetchTemplate, Function<QueryScope, CompletableFuture<FhirQueryClient.Fetched>>> queries,
            Map<String, List<PatientRecord.Item>> data, Set<String> incomplete, List<PrefetchUnavailableException.Missing> missing,
            CallDeadline deadline) {
        if (queries.isEmpty()) {
            return;
        }
        try (QueryScope scope = new QueryScope(deadline)) {
            Map<PrefetchTemplate, CompletableFuture<FhirQueryClient.Fetched>> running = new LinkedHashMap<>();
            queries.forEach((template, query) -> running.put(template, query.apply(scope)));
            for (Map.Entry<PrefetchTemplate, CompletableFuture<FhirQueryClient.Fetched>> entry : running.entrySet()) {
                PrefetchTemplate template = entry.getKey();
                Optional<FhirQueryClient.Fetched> fetched = await(entry.getValue(), scope.remaining(), "prefetch key " + template.key());
                if (fetched.isPresent()) {
                    data.put(template.key(), fetched.get().resources().stream().map(PatientRecord.Item::parsed).toList());
                    if (!fetched.get().complete()) {
                        incomplete.add(template.key());
                    }
                } else if (template.required()) {
                    missing.add(new PrefetchUnavailableException.Missing(template.key(), QUERY_FAILED));
                } else {
                    incomplete.add(template.key());
                }
            }
        } // closing the scope aborts whatever is still running
    }

    /**
     * The query's result, or empty when it failed or missed the deadline. The caller learns only that; what went
     * wrong is logged, so the 412 cannot be used to tell a closed port from a slow or erroring server.
     */
    private static <T> Optional<T> await(CompletableFuture<T> query, Duration remaining, String what) {
        String failure;
        try {
            return Optional.of(query.get(remaining.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            failure = "no complete answer within the call deadline";
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof FetchFailedException f ? f.getMessage() : "the query failed";
        } catch (CancellationException e) {
            failure = "aborted at the call deadline";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "the call was interrupted";
        }
        log.warn("FHIR query for {} failed: {}", what, failure);
        return Optional.empty();
    }

    private Resource parse(String key, JsonNode value) {
        try {
            return FhirJsonTree.parse(fhir, value);
        } catch (RuntimeException e) {
            // HAPI reports most malformed input as DataFormatException, but some shapes as bare runtime exceptions
            throw new InvalidPrefetchException(key);
        }
    }

    /** An OperationOutcome in place of data, or an error-level one inside a Bundle, means the EHR's prefetch failed. */
    private static boolean failedPrefetch(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(OperationOutcome.class::isInstance)
                .map(OperationOutcome.class::cast)
                .flatMap(o -> o.getIssue().stream())
                .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
    }

    /** The same test on a usual-shaped prefetch value still in JSON. */
    private static boolean failedPrefetch(String type, JsonNode value) {
        if (type.equals("OperationOutcome")) {
            return true;
        }
        if (type.equals("Bundle")) {
            for (JsonNode entry : value.path("entry")) {
                JsonNode resource = entry.path("resource");
                if ("OperationOutcome".equals(resource.path("resourceType").asString(null))) {
                    for (JsonNode issue : resource.path("issue")) {
                        String severity = issue.path("severity").asString(null);
                        if ("error".equals(severity) || "fatal".equals(severity)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Starts the clock of a call: every query of the call must end within the call deadline from now. */
    public CallDeadline startDeadline() {
        return CallDeadline.startingNow(callDeadline);
    }

    /**
     * Reads the resources the references name from fhirServer, all at once and each once, in what is left of the
     * call deadline; whatever is still running then is aborted. Only relative references are read: an absolute one
     * could name another host, and the token is for fhirServer alone. A reference that failed, was not there or was
     * not read in time is absent from the result, as is a resource of another patient.
     */
    public ReferencedResources readAll(FhirAccess access, Set<String> references, String patientId, CallDeadline deadline) {
        if (!access.available()) {
            return ReferencedResources.none();
        }
        Map<String, Resource> read = new LinkedHashMap<>();
        int excluded = 0;
        try (QueryScope scope = new QueryScope(deadline)) {
            Map<String, CompletableFuture<Optional<Resource>>> running = new LinkedHashMap<>();
            for (String reference : references) {
                if (RELATIVE_REFERENCE.matcher(reference).matches()) {
                    running.put(reference, client.read(scope, access, reference));
                }
            }
            for (Map.Entry<String, CompletableFuture<Optional<Resource>>> entry : running.entrySet()) {
                String type = entry.getKey().substring(0, entry.getKey().indexOf('/'));
                Optional<Resource> resource = await(entry.getValue(), scope.remaining(), "a referenced " + type).flatMap(r -> r);
                if (resource.isPresent() && patientScope.belongsTo(resource.get(), patientId)) {
                    read.put(entry.getKey(), resource.get());
                } else if (resource.isPresent()) {
                    excluded++;
                }
            }
        } // closing the scope aborts whatever is still running
        if (excluded > 0) {
            log.warn("{} referenced resource(s) not belonging to the context patient were left out", excluded);
        }
        return new ReferencedResources(read, excluded);
    }
}
