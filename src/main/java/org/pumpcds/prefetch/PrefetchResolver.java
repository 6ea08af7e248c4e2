package org.pumpcds.prefetch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request's prefetch into a {@link PatientRecord}, following the checklist's decision matrix:
 * <ul>
 *   <li>key present with a resource or Bundle: used (a {@code next} link is paged through fhirServer);</li>
 *   <li>key present with {@code null}: answered, no data; no query, no 412;</li>
 *   <li>key present with an OperationOutcome (alone, or an error inside a Bundle), or key absent: queried
 *       from fhirServer with the bearer token when both are given, otherwise 412 if the data is required.</li>
 * </ul>
 * All queries of one call run concurrently on a shared pool and must finish within the call deadline.
 */
public final class PrefetchResolver {

    private static final String NO_ACCESS_DEFAULT = "no fhirServer with fhirAuthorization to query";

    private final FhirContext fhir;
    private final FhirQueryClient client;
    private final ExecutorService executor;
    private final Duration callDeadline;

    public PrefetchResolver(FhirContext fhir, FhirQueryClient client, ExecutorService executor, Duration callDeadline) {
        this.fhir = fhir;
        this.client = client;
        this.executor = executor;
        this.callDeadline = callDeadline;
    }

    /**
     * @param prefetch      the request's {@code prefetch} object, or null when absent
     * @param contextTokens values for {@code {{context.X}}} tokens
     * @throws InvalidPrefetchException     a prefetch value for one of our keys is not FHIR R4
     * @throws PrefetchUnavailableException required data could not be obtained
     */
    public PatientRecord resolve(List<PrefetchTemplate> templates, JsonNode prefetch, FhirAccess access,
            Map<String, String> contextTokens) {
        IParser parser = fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        String noAccess = access.refusal() == null ? NO_ACCESS_DEFAULT : access.refusal();
        Map<String, List<Resource>> data = new LinkedHashMap<>();
        Set<String> incomplete = new LinkedHashSet<>();
        List<PrefetchUnavailableException.Missing> missing = new ArrayList<>();
        Map<PrefetchTemplate, Supplier<FhirQueryClient.Fetched>> queries = new LinkedHashMap<>();

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
                Resource parsed = parse(parser, key, value);
                if (!failedPrefetch(parsed)) {
                    if (parsed instanceof Bundle bundle) {
                        List<Resource> entries = FhirQueryClient.entries(bundle);
                        if (bundle.getLink(Bundle.LINK_NEXT) == null) {
                            data.put(key, entries);
                            continue;
                        }
                        if (access.available()) {
                            queries.put(template, () -> client.remainingPages(access, bundle, entries));
                            continue;
                        }
                        whyQuery = "prefetch is paginated (it has a next link) and there is " + noAccess
                                + " for the remaining pages";
                    } else {
                        data.put(key, List.of(parsed));
                        continue;
                    }
                } else {
                    whyQuery = "prefetch held an OperationOutcome (the EHR's prefetch failed) and there is " + noAccess;
                }
            } else {
                whyQuery = "not in prefetch, and there is " + noAccess;
            }
            if (access.available()) {
                String relativeUrl = url.get();
                queries.put(template, () -> client.fetch(access, template, relativeUrl));
            } else if (template.required()) {
                missing.add(new PrefetchUnavailableException.Missing(key, whyQuery));
            } else {
                incomplete.add(key);
            }
        }

        if (!missing.isEmpty()) {
            throw new PrefetchUnavailableException(missing); // answer at once; querying would not change the 412
        }
        runConcurrently(queries, data, incomplete, missing);
        if (!missing.isEmpty()) {
            throw new PrefetchUnavailableException(missing);
        }
        return new PatientRecord(data, incomplete);
    }

    private void runConcurrently(Map<PrefetchTemplate, Supplier<FhirQueryClient.Fetched>> queries,
            Map<String, List<Resource>> data, Set<String> incomplete, List<PrefetchUnavailableException.Missing> missing) {
        if (queries.isEmpty()) {
            return;
        }
        long deadlineNanos = System.nanoTime() + callDeadline.toNanos();
        Map<PrefetchTemplate, CompletableFuture<FhirQueryClient.Fetched>> running = new LinkedHashMap<>();
        queries.forEach((template, query) -> running.put(template, CompletableFuture.supplyAsync(query, executor)));
        for (Map.Entry<PrefetchTemplate, CompletableFuture<FhirQueryClient.Fetched>> entry : running.entrySet()) {
            PrefetchTemplate template = entry.getKey();
            String failure;
            try {
                long remaining = Math.max(0, deadlineNanos - System.nanoTime());
                FhirQueryClient.Fetched fetched = entry.getValue().get(remaining, TimeUnit.NANOSECONDS);
                data.put(template.key(), fetched.resources());
                if (!fetched.complete()) {
                    incomplete.add(template.key());
                }
                continue;
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                failure = "the FHIR server did not answer within the call deadline of " + callDeadline.toMillis() + " ms";
            } catch (ExecutionException | CompletionException e) {
                failure = e.getCause() instanceof FetchFailedException f ? f.getMessage() : "the FHIR query failed";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "the call was interrupted";
            } catch (java.util.concurrent.CancellationException e) {
                failure = "the FHIR query was cancelled";
            }
            if (template.required()) {
                missing.add(new PrefetchUnavailableException.Missing(template.key(), failure));
            } else {
                incomplete.add(template.key());
            }
        }
        running.values().forEach(f -> f.cancel(true));
    }

    private static Resource parse(IParser parser, String key, JsonNode value) {
        if (!value.isObject()) {
            throw new InvalidPrefetchException(key);
        }
        try {
            return (Resource) parser.parseResource(value.toString());
        } catch (RuntimeException e) {
            // HAPI reports most malformed input as DataFormatException, but some shapes as bare runtime exceptions
            throw new InvalidPrefetchException(key);
        }
    }

    /** An OperationOutcome in place of data, or an error-level one inside a Bundle, means the EHR's prefetch failed. */
    private static boolean failedPrefetch(Resource value) {
        if (value instanceof OperationOutcome) {
            return true;
        }
        if (value instanceof Bundle bundle) {
            return bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(OperationOutcome.class::isInstance)
                    .map(OperationOutcome.class::cast)
                    .flatMap(o -> o.getIssue().stream())
                    .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                            || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
        }
        return false;
    }

    /**
     * Reads one resource by relative reference ({@code Organization/123}) from the EHR's FHIR server, within the
     * call deadline; empty when there is no access, nothing there, or no answer in time.
     */
    public Optional<Resource> read(FhirAccess access, String reference) {
        if (!access.available() || reference == null || !reference.matches("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$")) {
            return Optional.empty();
        }
        PrefetchTemplate template = new PrefetchTemplate("reference", reference.substring(0, reference.indexOf('/'))
                + "/{{context.id}}", false);
        CompletableFuture<FhirQueryClient.Fetched> read = CompletableFuture.supplyAsync(
                () -> client.fetch(access, template, reference), executor);
        try {
            return read.get(callDeadline.toNanos(), TimeUnit.NANOSECONDS).resources().stream().findFirst();
        } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
            read.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
