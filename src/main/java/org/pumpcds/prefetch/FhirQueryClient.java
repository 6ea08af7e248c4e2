package org.pumpcds.prefetch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs the fallback queries against the EHR's FHIR server with HAPI's generic client. Timeouts are set once
 * on the context's client factory; every request carries {@code Authorization: Bearer <token>}; paging
 * follows {@code next} links only while they stay on the same server, so the token never leaves it.
 */
public final class FhirQueryClient {

    /** What a query brought back: the resources, and false when a page limit cut the result short. */
    public record Fetched(List<Resource> resources, boolean complete) {
    }

    private final FhirContext fhir;
    private final int maxPages;

    public FhirQueryClient(FhirContext fhir, int maxPages) {
        this.fhir = fhir;
        this.maxPages = maxPages;
    }

    Fetched fetch(FhirAccess access, PrefetchTemplate template, String relativeUrl) {
        IGenericClient client = client(access);
        try {
            if (template.isRead()) {
                String id = relativeUrl.substring(relativeUrl.indexOf('/') + 1);
                Resource resource = (Resource) client.read().resource(template.resourceType()).withId(id).execute();
                return new Fetched(List.of(resource), true);
            }
            Bundle first = client.search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
            return page(client, access, first, new ArrayList<>(), 1);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            if (template.isRead()) {
                return new Fetched(List.of(), true); // a read that finds nothing is "no data", as a null prefetch
            }
            throw new FetchFailedException("the FHIR server answered HTTP " + e.getStatusCode());
        } catch (FhirClientConnectionException e) {
            throw new FetchFailedException("the FHIR server could not be reached or did not answer in time");
        } catch (BaseServerResponseException e) {
            throw new FetchFailedException("the FHIR server answered HTTP " + e.getStatusCode());
        } catch (FetchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FetchFailedException("the FHIR server's answer could not be read as FHIR R4");
        }
    }

    /** Fetches the pages after a prefetch Bundle that carries a {@code next} link. */
    Fetched remainingPages(FhirAccess access, Bundle prefetched, List<Resource> already) {
        IGenericClient client = client(access);
        try {
            return page(client, access, prefetched, new ArrayList<>(already), 1);
        } catch (FhirClientConnectionException e) {
            throw new FetchFailedException("the FHIR server could not be reached or did not answer in time");
        } catch (BaseServerResponseException e) {
            throw new FetchFailedException("the FHIR server answered HTTP " + e.getStatusCode() + " for a next page");
        }
    }

    private Fetched page(IGenericClient client, FhirAccess access, Bundle bundle, List<Resource> collected, int pages) {
        Bundle current = bundle;
        int fetchedPages = pages;
        if (collected.isEmpty()) {
            collected.addAll(entries(current));
        }
        while (current.getLink(Bundle.LINK_NEXT) != null) {
            String next = current.getLink(Bundle.LINK_NEXT).getUrl();
            if (fetchedPages >= maxPages) {
                return new Fetched(collected, false);
            }
            if (!sameServer(access.serverBase(), next)) {
                throw new FetchFailedException("a next link points away from fhirServer; it was not followed");
            }
            current = client.loadPage().byUrl(next).andReturnBundle(Bundle.class).execute();
            collected.addAll(entries(current));
            fetchedPages++;
        }
        return new Fetched(collected, true);
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

    private IGenericClient client(FhirAccess access) {
        IGenericClient client = fhir.newRestfulGenericClient(access.serverBase());
        client.registerInterceptor(new BearerTokenAuthInterceptor(access.accessToken()));
        return client;
    }

    static boolean sameServer(String base, String url) {
        try {
            URI b = URI.create(base.endsWith("/") ? base : base + "/");
            URI u = URI.create(url);
            return b.getScheme() != null && b.getScheme().equalsIgnoreCase(u.getScheme())
                    && b.getHost() != null && b.getHost().equalsIgnoreCase(u.getHost())
                    && effectivePort(b) == effectivePort(u)
                    && (u.getPath() + "/").startsWith(b.getPath());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
