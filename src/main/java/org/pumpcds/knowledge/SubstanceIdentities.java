package org.pumpcds.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.pumpcds.terminology.CodeSystems;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One identity service for drugs and diluents (knowledge/stability/substances.yaml), used wherever two things must be
 * the same substance: an order and a label, an order and a study, an allergy and a pump drug. A code or name that is
 * not in the file is unidentified, and callers read it as "not documented", never as a match.
 */
public final class SubstanceIdentities {

    public static final String FILE = "knowledge/stability/substances.yaml";
    private static final Set<String> PRESERVATIVES = Set.of("none", "benzyl-alcohol", "not-stated");

    /** An active ingredient: its RxNorm IN code when confirmed, and the exact names that mean it. */
    public record IngredientIdentity(String id, String rxcui, List<String> names, String source) {
    }

    /** A product-level RxNorm code (clinical or branded drug) and the ingredient it contains. */
    public record Product(String rxcui, String name, String ingredient, String source) {
    }

    /** A diluent: its vehicle and whether it carries a preservative. */
    public record DiluentIdentity(String id, String base, String preservative, List<String> names, String source) {

        public boolean preservativeFree() {
            return "none".equals(preservative);
        }

        public boolean benzylAlcohol() {
            return "benzyl-alcohol".equals(preservative);
        }
    }

    /** A class of ingredients a rule asks about (e.g. neuraxial analgesics). */
    public record IngredientClass(String id, List<String> members, String source) {
    }

    private record Content(List<IngredientIdentity> ingredients, List<IngredientClass> classes, List<Product> products,
            List<DiluentIdentity> diluents) {
    }

    private final Map<String, IngredientIdentity> byId = new HashMap<>();
    private final Map<String, IngredientIdentity> byCode = new HashMap<>();
    private final Map<String, IngredientIdentity> byName = new HashMap<>();
    private final Map<String, DiluentIdentity> diluentsById = new HashMap<>();
    private final Map<String, DiluentIdentity> diluentsByName = new HashMap<>();
    private final Map<String, Set<String>> classes = new HashMap<>();

    private SubstanceIdentities() {
    }

    /** Loads and checks the file: every entry sourced, ids and names unique, products naming a known ingredient. */
    public static SubstanceIdentities load(InputStream yaml) {
        Content content;
        try (InputStream in = yaml) {
            content = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, Content.class);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException(FILE + ": cannot be read: " + e.getMessage(), e);
        }
        SubstanceIdentities identities = new SubstanceIdentities();
        for (IngredientIdentity ingredient : list(content.ingredients())) {
            require(ingredient.id(), "id", ingredient.id());
            require(ingredient.id(), "source", ingredient.source());
            if (identities.byId.put(ingredient.id(), ingredient) != null) {
                throw invalid(ingredient.id(), "id", "is used twice");
            }
            if (ingredient.rxcui() != null && identities.byCode.put(ingredient.rxcui(), ingredient) != null) {
                throw invalid(ingredient.id(), "rxcui", "is used twice");
            }
            for (String name : list(ingredient.names())) {
                identities.name(identities.byName, normalize(name), ingredient, ingredient.id());
            }
        }
        for (IngredientClass group : list(content.classes())) {
            require(group.id(), "source", group.source());
            for (String member : list(group.members())) {
                if (!identities.byId.containsKey(member)) {
                    throw invalid(group.id(), "members", "names no ingredient in this file: " + member);
                }
            }
            identities.classes.put(group.id(), Set.copyOf(list(group.members())));
        }
        for (Product product : list(content.products())) {
            require(product.rxcui(), "source", product.source());
            IngredientIdentity ingredient = identities.byId.get(product.ingredient());
            if (ingredient == null) {
                throw invalid(product.rxcui(), "ingredient", "names no ingredient in this file: " + product.ingredient());
            }
            if (identities.byCode.put(product.rxcui(), ingredient) != null) {
                throw invalid(product.rxcui(), "rxcui", "is used twice");
            }
        }
        for (DiluentIdentity diluent : list(content.diluents())) {
            require(diluent.id(), "source", diluent.source());
            require(diluent.id(), "base", diluent.base());
            if (!PRESERVATIVES.contains(String.valueOf(diluent.preservative()))) {
                throw invalid(diluent.id(), "preservative", "must be one of " + PRESERVATIVES);
            }
            if (identities.diluentsById.put(diluent.id(), diluent) != null) {
                throw invalid(diluent.id(), "id", "is used twice");
            }
            for (String name : list(diluent.names())) {
                if (identities.byName.containsKey(normalize(name))) {
                    throw invalid(diluent.id(), "names", "'" + name + "' also names an ingredient");
                }
                identities.name(identities.diluentsByName, normalize(name), diluent, diluent.id());
            }
        }
        return identities;
    }

    private <T> void name(Map<String, T> names, String name, T entry, String id) {
        if (name.isEmpty() || names.put(name, entry) != null) {
            throw invalid(id, "names", "'" + name + "' is empty or names two entries");
        }
    }

    /** The ingredient a concept names: an RxNorm ingredient or known product code, else an exact name. */
    public Optional<IngredientIdentity> ingredient(CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        for (Coding coding : concept.getCoding()) {
            if (coding.hasCode() && CodeSystems.RXNORM.equals(CodeSystems.canonical(coding.getSystem()))
                    && byCode.containsKey(coding.getCode())) {
                return Optional.of(byCode.get(coding.getCode()));
            }
        }
        List<String> names = new ArrayList<>();
        concept.getCoding().stream().filter(Coding::hasDisplay).forEach(c -> names.add(c.getDisplay()));
        if (concept.hasText()) {
            names.add(concept.getText());
        }
        return names.stream().map(n -> byName.get(normalize(n))).filter(java.util.Objects::nonNull).findFirst();
    }

    /** The ingredient of an RxNorm code (ingredient or known product), or a name spelt exactly as listed. */
    public Optional<IngredientIdentity> ingredient(String rxcui, String name) {
        if (rxcui != null && byCode.containsKey(rxcui)) {
            return Optional.of(byCode.get(rxcui));
        }
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(normalize(name)));
    }

    /**
     * Whether an ingredient as an order names it (its code, else its name) is the knowledge ingredient: both must
     * resolve to the same identity; an unidentified one is never the same as anything.
     */
    public boolean same(String rxcui, String name, Ingredient known) {
        Optional<IngredientIdentity> ordered = ingredient(rxcui, name);
        return ordered.isPresent() && ordered.equals(ingredient(known.rxcui(), known.name()));
    }

    /** Whether the ingredient belongs to the class; an unknown class is a programming error. */
    public boolean inClass(String classId, IngredientIdentity ingredient) {
        Set<String> members = classes.get(classId);
        if (members == null) {
            throw new IllegalArgumentException("no ingredient class " + classId + " in " + FILE);
        }
        return members.contains(ingredient.id());
    }

    public Optional<DiluentIdentity> diluent(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(diluentsByName.get(normalize(name)));
    }

    public Optional<DiluentIdentity> diluentById(String id) {
        return Optional.ofNullable(diluentsById.get(id));
    }

    /** The RxNorm codings of a concept plus, for each known product code, its ingredient's code. */
    public List<Coding> withIngredientCodes(List<Coding> codings) {
        List<Coding> out = new ArrayList<>(codings);
        for (Coding coding : codings) {
            if (coding.hasCode() && CodeSystems.RXNORM.equals(CodeSystems.canonical(coding.getSystem()))) {
                IngredientIdentity ingredient = byCode.get(coding.getCode());
                if (ingredient != null && ingredient.rxcui() != null && !ingredient.rxcui().equals(coding.getCode())) {
                    out.add(new Coding(CodeSystems.RXNORM, ingredient.rxcui(), ingredient.id()));
                }
            }
        }
        return out;
    }

    static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }

    private static void require(String id, String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(id, field, "is required");
        }
    }

    private static IllegalStateException invalid(String id, String field, String problem) {
        return new IllegalStateException(FILE + ": " + id + ": " + field + " " + problem);
    }
}
