package org.pumpcds.prefetch;

import java.util.ArrayList;
import java.util.List;
import org.pumpcds.net.HttpUrl;

/**
 * The FHIR servers fallback queries may go to ({@code pumpcds.fhir-query.allowed-servers}), compared as parsed URLs:
 * same scheme, host and port, and a path at or below the allowed base. With no list, the sandbox profile allows any
 * server (the EHR decides) and the production profile none, so a forgotten setting fails closed.
 */
public final class AllowedServers {

    private final List<HttpUrl> bases;
    private final boolean anyWhenEmpty;

    private AllowedServers(List<HttpUrl> bases, boolean anyWhenEmpty) {
        this.bases = bases;
        this.anyWhenEmpty = anyWhenEmpty;
    }

    /** @throws IllegalArgumentException naming the entry that is not an absolute http(s) URL without userinfo */
    public static AllowedServers of(List<String> configured, boolean sandboxMode) {
        List<HttpUrl> bases = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String entry = configured.get(i);
            bases.add(HttpUrl.parse(entry).orElseThrow(() -> new IllegalArgumentException(
                    "pumpcds.fhir-query.allowed-servers: entry is not an absolute http(s) URL without userinfo: " + entry)));
        }
        return new AllowedServers(List.copyOf(bases), sandboxMode);
    }

    public boolean permits(HttpUrl server) {
        if (bases.isEmpty()) {
            return anyWhenEmpty;
        }
        return bases.stream().anyMatch(server::isWithin);
    }
}
