package org.pumpcds.prefetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pumpcds.net.HttpUrl;

/**
 * The FHIR servers fallback queries may go to ({@code pumpcds.fhir-query.allowed-servers}), compared as parsed URLs:
 * same scheme, host and port, and a path at or below the allowed base. With no list, the sandbox profile allows
 * FHIR bases at {@code /fhir} on this machine (its embedded sandbox, a local test server) and the production profile
 * none, so a forgotten setting fails closed and an unauthenticated demo cannot be pointed at the network behind it.
 */
public final class AllowedServers {

    /** This machine, as spelt in a URL; names that need resolving (other than localhost) are not loopback here. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    /** Where the embedded sandbox answers: nothing else on this machine (an admin port, a sidecar) is reachable. */
    private static final String SANDBOX_PATH = "fhir";

    private final List<HttpUrl> bases;
    private final boolean loopbackWhenEmpty;

    private AllowedServers(List<HttpUrl> bases, boolean loopbackWhenEmpty) {
        this.bases = bases;
        this.loopbackWhenEmpty = loopbackWhenEmpty;
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
            return loopbackWhenEmpty && LOOPBACK.contains(server.host()) && !server.segments().isEmpty()
                    && server.segments().get(0).equals(SANDBOX_PATH);
        }
        return bases.stream().anyMatch(server::isWithin);
    }
}
