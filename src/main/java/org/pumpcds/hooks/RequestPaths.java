package org.pumpcds.hooks;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path of a request, as security decisions must see it. Tomcat decodes and normalises the path before it maps
 * a servlet, and Spring matches the decoded path, so a check on the raw URI can be walked around
 * ({@code /%63ds-services}). Two rules close that: a raw path that another spelling could alias is refused
 * outright, and decisions read the normalised path that the servlet mapping saw.
 */
final class RequestPaths {

    private static final String UNRESERVED_MARKS = "-._~";

    private RequestPaths() {
    }

    /** The decoded, normalised path that selected the servlet: what Tomcat and Spring route on. */
    static String normalized(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }

    /**
     * Why a raw request path is refused, or null when it has one spelling only: no percent-encoded unreserved
     * character, slash, backslash, dot or control character; no dot segment, empty segment or path parameter.
     */
    static String aliasingProblem(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return "the path must be absolute";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == ';') {
                return "path parameters (;) are not accepted";
            }
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return "the path contains a backslash or a control character";
            }
            if (c == '%') {
                int decoded = i + 2 < rawPath.length() ? hex(rawPath.charAt(i + 1), rawPath.charAt(i + 2)) : -1;
                if (decoded < 0) {
                    return "the path has a malformed percent-encoding";
                }
                if (Character.isLetterOrDigit(decoded) && decoded < 0x80 || UNRESERVED_MARKS.indexOf(decoded) >= 0
                        || decoded == '/' || decoded == '\\' || decoded < 0x20 || decoded == 0x7f) {
                    return "the path percent-encodes an unreserved character, a slash or a control character";
                }
            }
        }
        String[] segments = rawPath.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                return "the path contains a dot segment";
            }
            if (segment.isEmpty() && i < segments.length - 1) {
                return "the path contains an empty segment (//)";
            }
        }
        return null;
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
