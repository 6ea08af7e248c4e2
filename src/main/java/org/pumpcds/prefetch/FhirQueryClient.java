package org.pumpcds.prefetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.net.HttpUrl;

/**
 * The queries against the EHR's FHIR server: a read, or a search followed through its {@code next} pages while they
 * stay on the same server and below its base path, so the token never leaves it.
 */
public final class FhirQueryClient {

    /** What a query brought back: the resources, and false when a page limit cut the result short. */
    public record Fetched(List<Resource> resources, boolean complete) {
    }

    /**
     * Told how long each fallback query took, all its pages included: {@code query} is the prefetch key, or
     * "reference" for a read of a referenced resource. The host decides where it goes (a metrics registry).
     */
    public interface QueryTimer {
        QueryTimer NONE = (query, nanos, succeeded) -> { };

        void record(String query, long nanos, boolean succeeded);
    }

    private final FhirHttp http;
    private final int maxPages;
    private final QueryTimer timer;

    public FhirQueryClient(FhirHttp http, int maxPages, QueryTimer timer) {
        this.http = http;
        this.maxPages = maxPages;
        this.timer = timer;
    }

    /** Times a query from before it starts (whatever it does synchronously included) to its completion. */
    private <T> CompletableFuture<T> timed(String query, Supplier<CompletableFuture<T>> start) {
        long started = System.nanoTime();
        return start.get().whenComplete((result, failure) -> timer.record(query, System.nanoTime() - started, failure == null));
    }

    CompletableFuture<Fetched> fetch(QueryScope scope, FhirAccess access, PrefetchTemplate template, String relativeUrl) {
        return timed(template.key(), () -> query(scope, access, template, relativeUrl));
    }

    private CompletableFuture<Fetched> query(QueryScope scope, FhirAccess access, PrefetchTemplate template, String relativeUrl) {
        HttpUrl server = access.server();
        URI target;
        try {
            target = new URI(access.serverBase().replaceAll("/+$", "") + "/" + quoteIllegal(relativeUrl));
        } catch (URISyntaxException e) {
            return CompletableFuture.failedFuture(new FetchFailedException("the query URL could not be built"));
        }
        if (template.isRead()) {
            return http.get(scope, server, target, access.accessToken(), true)
                    .thenApply(found -> new Fetched(ofType(template.resourceType(), found).map(List::of).orElse(List.of()), true));
        }
        return http.get(scope, server, target, access.accessToken(), false)
                .thenCompose(answer -> page(scope, access, searchset(answer), new ArrayList<>(), 1));
    }

    /**
     * Reads what a relative reference ({@code Medication/m1}) names on fhirServer; empty when the server has nothing
     * there (404/410). The reference comes from request data, so its URL must stay below fhirServer like a next link.
     */
    CompletableFuture<Optional<Resource>> read(QueryScope scope, FhirAccess access, String reference) {
        Optional<URI> target = sameServer(access.server(), access.serverBase().replaceAll("/+$", "") + "/" + reference);
        if (target.isEmpty()) {
            return CompletableFuture.failedFuture(new FetchFailedException("a reference would leave fhirServer; it was not read"));
        }
        String type = reference.substring(0, reference.indexOf('/'));
        return timed("reference", () -> http.get(scope, access.server(), target.get(), access.accessToken(), true)
                .thenApply(found -> ofType(type, found)));
    }

    private static Optional<Resource> ofType(String type, Optional<Resource> found) {
        if (found.isPresent() && !found.get().fhirType().equals(type)) {
            throw new FetchFailedException("a read of " + type + " answered " + found.get().fhirType());
        }
        return found;
    }

    /** Fetches the pages after a prefetch Bundle that carries a {@code next} link. */
    CompletableFuture<Fetched> remainingPages(QueryScope scope, FhirAccess access, PrefetchTemplate template,
            Bundle prefetched, List<Resource> already) {
        return timed(template.key(), () -> next(scope, access, prefetched, new ArrayList<>(already), 1));
    }

    private CompletableFuture<Fetched> page(QueryScope scope, FhirAccess access, Bundle bundle, List<Resource> collected,
            int pages) {
        collected.addAll(entries(bundle));
        return next(scope, access, bundle, collected, pages);
    }

    private CompletableFuture<Fetched> next(QueryScope scope, FhirAccess access, Bundle current, List<Resource> collected,
            int pages) {
        Bundle.BundleLinkComponent link = current.getLink(Bundle.LINK_NEXT);
        if (link == null) {
            return CompletableFuture.completedFuture(new Fetched(collected, true));
        }
        if (pages >= maxPages) {
            return CompletableFuture.completedFuture(new Fetched(collected, false));
        }
        Optional<URI> next = sameServer(access.server(), link.getUrl());
        if (next.isEmpty()) {
            return CompletableFuture.failedFuture(new FetchFailedException("a next link points away from fhirServer; it was not followed"));
        }
        return http.get(scope, access.server(), next.get(), access.accessToken(), false)
                .thenCompose(answer -> page(scope, access, searchset(answer), collected, pages + 1));
    }

    private static Bundle searchset(Optional<Resource> answer) {
        if (answer.isPresent() && answer.get() instanceof Bundle bundle) {
            return bundle;
        }
        throw new FetchFailedException("a search answered something other than a Bundle");
    }

    /** Resources of a searchset, without OperationOutcome entries (they carry search warnings, not data). */
    static List<Resource> entries(Bundle bundle) {
        List<Resource> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() && !(entry.getResource() instanceof OperationOutcome)) {
                out.add(entry.getResource());
            }
        }
        return out;
    }

    /**
     * Percent-encodes the characters a URI may not contain as they are (FHIR token searches put a raw {@code |}
     * between system and code); what is already encoded stays as it is.
     */
    static String quoteIllegal(String relativeUrl) {
        StringBuilder out = new StringBuilder(relativeUrl.length() + 16);
        for (byte b : relativeUrl.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** The link as a URI when it stays on {@code server} (scheme, host, port and base path); empty otherwise. */
    static Optional<URI> sameServer(HttpUrl server, String link) {
        Optional<HttpUrl> parsed = HttpUrl.parse(link);
        if (parsed.isEmpty() || !parsed.get().isWithin(server)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new URI(link.trim()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
