package org.pumpcds.prefetch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One prefetch template as advertised in discovery. Its tokens are found once, here, so filling it in on a call is
 * string concatenation.
 */
public final class PrefetchTemplate {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{context\\.([A-Za-z]+)}}");
    private static final Pattern FORM = Pattern.compile("^[A-Z][A-Za-z]+(/\\{\\{context\\.[A-Za-z]+}}|\\?[^\\s]+)$");

    private final String key;
    private final String template;
    private final boolean required;
    private final String resourceType;
    /** The text around the tokens: one more than there are tokens. */
    private final List<String> literals = new ArrayList<>();
    /** The context value each token names ({@code patientId} for {@code {{context.patientId}}}). */
    private final List<String> tokens = new ArrayList<>();

    /**
     * @param key      the prefetch key
     * @param template a relative FHIR read ({@code Patient/{{context.patientId}}}) or type-level search
     * @param required whether the rules cannot run without this data (then unobtainable data is a 412)
     */
    public PrefetchTemplate(String key, String template, boolean required) {
        if (!FORM.matcher(template).matches()) {
            throw new IllegalArgumentException("Prefetch template " + key + " is neither a read nor a search: " + template);
        }
        this.key = key;
        this.template = template;
        this.required = required;
        this.resourceType = template.split("[/?]", 2)[0];
        Matcher matcher = TOKEN.matcher(template);
        int from = 0;
        while (matcher.find()) {
            literals.add(template.substring(from, matcher.start()));
            tokens.add(matcher.group(1));
            from = matcher.end();
        }
        literals.add(template.substring(from));
    }

    public String key() {
        return key;
    }

    public String template() {
        return template;
    }

    public boolean required() {
        return required;
    }

    public String resourceType() {
        return resourceType;
    }

    public boolean isRead() {
        return template.charAt(resourceType.length()) == '/';
    }

    /**
     * The relative URL with tokens replaced by the context values (URL-encoded), or empty when the context
     * lacks a value the template needs (e.g. an optional encounterId).
     */
    public Optional<String> render(Map<String, String> contextTokens) {
        StringBuilder out = new StringBuilder(template.length() + 32).append(literals.get(0));
        for (int i = 0; i < tokens.size(); i++) {
            String value = contextTokens.get(tokens.get(i));
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            out.append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append(literals.get(i + 1));
        }
        return Optional.of(out.toString());
    }

    @Override
    public String toString() {
        return key + ": " + template;
    }
}
