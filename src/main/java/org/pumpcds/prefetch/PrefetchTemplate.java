package org.pumpcds.prefetch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One prefetch template as advertised in discovery.
 *
 * @param key      the prefetch key
 * @param template a relative FHIR read ({@code Patient/{{context.patientId}}}) or type-level search
 * @param required whether the rules cannot run without this data (then unobtainable data is a 412)
 */
public record PrefetchTemplate(String key, String template, boolean required) {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*context\\.([A-Za-z]+)\\s*}}");
    private static final Pattern FORM = Pattern.compile("^[A-Z][A-Za-z]+(/\\{\\{context\\.[A-Za-z]+}}|\\?[^\\s]+)$");

    public PrefetchTemplate {
        if (!FORM.matcher(template).matches()) {
            throw new IllegalArgumentException("Prefetch template " + key + " is neither a read nor a search: " + template);
        }
    }

    public String resourceType() {
        return template.split("[/?]", 2)[0];
    }

    public boolean isRead() {
        return template.charAt(resourceType().length()) == '/';
    }

    /**
     * The relative URL with tokens replaced by the context values (URL-encoded), or empty when the context
     * lacks a value the template needs (e.g. an optional encounterId).
     */
    public Optional<String> render(Map<String, String> contextTokens) {
        Matcher matcher = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = contextTokens.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        matcher.appendTail(out);
        return Optional.of(out.toString());
    }
}
