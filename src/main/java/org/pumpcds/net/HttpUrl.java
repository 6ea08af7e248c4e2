package org.pumpcds.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An absolute http(s) URL taken apart, so that URLs are compared by scheme, host, port and path segments, never as
 * strings. Parsing refuses what could make two spellings disagree about where a request goes: userinfo
 * ({@code http://allowed@evil/}), a fragment, dot segments, path parameters, and a missing host. Host and scheme compare
 * case-insensitively; an omitted port is the scheme's default; a trailing slash does not add a segment.
 */
public record HttpUrl(String scheme, String host, int port, List<String> segments) {

    public static Optional<HttpUrl> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        List<String> segments = new ArrayList<>();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String segment : path.split("/")) {
            // a dot segment counts however it is spelt (%2e is "."), and an encoded slash or backslash would let one
            // segment become several where the server decodes it: both could walk out of an allowed base path. A
            // ";parameter" is refused too: servlet containers drop it before resolving dots, so "..;" is "..", and
            // FHIR paths never carry one
            String lower = segment.toLowerCase(Locale.ROOT);
            String dots = lower.replace("%2e", ".");
            if (dots.equals(".") || dots.equals("..") || lower.contains("%2f") || lower.contains("%5c")
                    || lower.contains(";") || lower.contains("%3b")) {
                return Optional.empty();
            }
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return Optional.of(new HttpUrl(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, List.copyOf(segments)));
    }

    /** Same scheme, host and port. */
    public boolean sameOrigin(HttpUrl other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
    }

    /** Same origin, and this URL's path is {@code base}'s path or below it, segment by segment. */
    public boolean isWithin(HttpUrl base) {
        return sameOrigin(base) && segments.size() >= base.segments.size()
                && segments.subList(0, base.segments.size()).equals(base.segments);
    }

    /** Same origin and the same path: the query, if any, is not compared. */
    public boolean sameResource(HttpUrl other) {
        return sameOrigin(other) && segments.equals(other.segments);
    }

    /** scheme://host:port, for logs: it names the server and never carries a path (patient ids) or query. */
    public String origin() {
        return scheme + "://" + host + ":" + port;
    }
}
