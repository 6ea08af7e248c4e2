package org.pumpcds.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * In-memory membership index over the project's ValueSets. Supports enumerated concepts and the
 * {@code is-a} / {@code descendent-of} filters on hierarchical codes (ICD-10-CM, ICD-10-PCS), read as
 * prefix matches because those code systems encode their hierarchy in the code itself.
 */
public final class ValueSetIndex {

    private final Map<String, Members> byUrl;

    private ValueSetIndex(Map<String, Members> byUrl) {
        this.byUrl = Map.copyOf(byUrl);
    }

    /** A named source of ValueSet JSON, so load errors can name the file. */
    public record Source(String name, InputStream json) {
    }

    /** Loads every source; a malformed file fails with its name and the problem. */
    public static ValueSetIndex load(FhirContext fhir, List<Source> sources) {
        Map<String, Members> byUrl = new HashMap<>();
        for (Source source : sources) {
            ValueSet valueSet;
            try (InputStream in = source.json()) {
                valueSet = fhir.newJsonParser().parseResource(ValueSet.class,
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | DataFormatException e) {
                throw new IllegalStateException(source.name() + ": not a readable FHIR ValueSet: " + e.getMessage(), e);
            }
            if (!valueSet.hasUrl()) {
                throw new IllegalStateException(source.name() + ": ValueSet.url is missing");
            }
            if (byUrl.put(valueSet.getUrl(), Members.of(source.name(), valueSet)) != null) {
                throw new IllegalStateException(source.name() + ": duplicate ValueSet.url " + valueSet.getUrl());
            }
        }
        return new ValueSetIndex(byUrl);
    }

    public Set<String> urls() {
        return byUrl.keySet();
    }

    /** The code systems a value set draws its members from (canonical URLs); empty for an unknown value set. */
    public Set<String> systems(String valueSetUrl) {
        Members members = byUrl.get(valueSetUrl);
        if (members == null) {
            return Set.of();
        }
        Set<String> systems = new HashSet<>(members.codesBySystem().keySet());
        systems.addAll(members.prefixesBySystem().keySet());
        return Set.copyOf(systems);
    }

    public boolean contains(String valueSetUrl, String system, String code) {
        return members(valueSetUrl).contains(CodeSystems.canonical(system), code);
    }

    /** The first coding of the concept that belongs to the value set, if any. */
    public Optional<Coding> firstMatch(String valueSetUrl, CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        Members members = members(valueSetUrl);
        return concept.getCoding().stream()
                .filter(c -> c.hasCode() && members.contains(CodeSystems.canonical(c.getSystem()), c.getCode().trim()))
                .findFirst();
    }

    /** Display text the value set gives for a code, used when an order's coding carries none. */
    public Optional<String> display(String valueSetUrl, String system, String code) {
        return Optional.ofNullable(members(valueSetUrl).displays.get(key(CodeSystems.canonical(system), code)));
    }

    private Members members(String valueSetUrl) {
        Members members = byUrl.get(valueSetUrl);
        if (members == null) {
            throw new IllegalArgumentException("Unknown value set " + valueSetUrl);
        }
        return members;
    }

    private static String key(String system, String code) {
        return system + "|" + code;
    }

    /** @param codesBySystem codes by canonical system: a lookup builds no string */
    private record Members(Map<String, Set<String>> codesBySystem, Map<String, List<String>> prefixesBySystem, Map<String, String> displays) {

        static Members of(String fileName, ValueSet valueSet) {
            Map<String, Set<String>> codes = new HashMap<>();
            Map<String, List<String>> prefixes = new HashMap<>();
            Map<String, String> displays = new HashMap<>();
            for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
                String system = CodeSystems.canonical(include.getSystem());
                if (system.isEmpty()) {
                    throw new IllegalStateException(fileName + ": compose.include without a system");
                }
                for (ValueSet.ConceptReferenceComponent concept : include.getConcept()) {
                    codes.computeIfAbsent(system, k -> new HashSet<>()).add(concept.getCode());
                    if (concept.hasDisplay()) {
                        displays.put(key(system, concept.getCode()), concept.getDisplay());
                    }
                }
                for (ValueSet.ConceptSetFilterComponent filter : include.getFilter()) {
                    String op = filter.getOp() == null ? "" : filter.getOp().toCode();
                    if (!"concept".equals(filter.getProperty()) || !(op.equals("is-a") || op.equals("descendent-of"))) {
                        throw new IllegalStateException(fileName + ": unsupported filter " + filter.getProperty() + " " + op
                                + " (only concept is-a / descendent-of on hierarchical codes)");
                    }
                    // descendent-of excludes the parent code itself; the trailing marker keeps that distinction.
                    prefixes.computeIfAbsent(system, s -> new ArrayList<>())
                            .add(op.equals("is-a") ? filter.getValue() : filter.getValue() + "\u0000");
                }
            }
            Map<String, Set<String>> frozen = new HashMap<>();
            codes.forEach((system, inSystem) -> frozen.put(system, Set.copyOf(inSystem)));
            return new Members(Map.copyOf(frozen), Map.copyOf(prefixes), Map.copyOf(displays));
        }

        boolean contains(String system, String code) {
            if (code == null || code.isEmpty()) {
                return false;
            }
            if (codesBySystem.getOrDefault(system, Set.of()).contains(code)) {
                return true;
            }
            for (String prefix : prefixesBySystem.getOrDefault(system, List.of())) {
                boolean strict = prefix.endsWith("\u0000");
                String root = strict ? prefix.substring(0, prefix.length() - 1) : prefix;
                if (code.startsWith(root) && (!strict || code.length() > root.length())) {
                    return true;
                }
            }
            return false;
        }
    }
}
