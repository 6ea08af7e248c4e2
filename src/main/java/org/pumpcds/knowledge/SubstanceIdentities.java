package org.pumpcds.knowledge;

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

/**
 * One identity service for drugs and diluents (knowledge/stability/substances.yaml), used wherever two things must be
 * the same substance: an order and a label, an order and a study, an allergy and a pump drug. A code or name that is
 * not in the file is unidentified, and callers read it as "not documented", never as a match.
 */
public final class SubstanceIdentities {

    public static final String FILE = "knowledge/stability/substances.yaml";
    /** knowledge/schema/substances.schema.json lists the same (StabilitySchemaTest). */
    static final Set<String> PRESERVATIVES = Set.of("none", "benzyl-alcohol", "not-stated");

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

    /** The file as bound, after knowledge/schema/substances.schema.json has checked it. */
    record Content(List<IngredientIdentity> ingredients, List<IngredientClass> classes, List<Product> products,
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

    /** Loads {@link #FILE}; see {@link #load(KnowledgeFile)}. */
    public static SubstanceIdentities load(InputStream yaml) {
        return load(new KnowledgeFile(FILE, yaml));
    }

    /**
     * Loads and checks the file: first against knowledge/schema/substances.schema.json (known keys, every entry
     * sourced, preservatives), then ids, codes and names unique, and classes and products naming a known ingredient.
     * A problem is named by file and JSON path.
     */
    public static SubstanceIdentities load(KnowledgeFile file) {
        Content content = KnowledgeSchema.load("substances.schema.json").read(file, Content.class);
        String where = file.name();
        SubstanceIdentities identities = new SubstanceIdentities();
        Map<String, String> codes = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        List<IngredientIdentity> ingredients = list(content.ingredients());
        for (int i = 0; i < ingredients.size(); i++) {
            IngredientIdentity ingredient = ingredients.get(i);
            String at = "$.ingredients[" + i + "]";
            if (identities.byId.put(ingredient.id(), ingredient) != null) {
                throw invalid(where, at + ".id", ingredient.id(), "duplicate ingredient id");
            }
            if (ingredient.rxcui() != null) {
                String previous = codes.putIfAbsent(ingredient.rxcui(), at + ".rxcui");
                if (previous != null) {
                    throw invalid(where, at + ".rxcui", ingredient.id(), ingredient.rxcui() + " is also " + previous);
                }
                identities.byCode.put(ingredient.rxcui(), ingredient);
            }
            List<String> spellings = list(ingredient.names());
            for (int n = 0; n < spellings.size(); n++) {
                identities.name(where, identities.byName, names, spellings.get(n), ingredient, at + ".names[" + n + "]", ingredient.id());
            }
        }
        List<IngredientClass> groups = list(content.classes());
        for (int i = 0; i < groups.size(); i++) {
            IngredientClass group = groups.get(i);
            List<String> members = list(group.members());
            for (int m = 0; m < members.size(); m++) {
                if (!identities.byId.containsKey(members.get(m))) {
                    throw invalid(where, "$.classes[" + i + "].members[" + m + "]", group.id(),
                            "no ingredient id " + members.get(m) + " in this file");
                }
            }
            if (identities.classes.put(group.id(), Set.copyOf(members)) != null) {
                throw invalid(where, "$.classes[" + i + "].id", group.id(), "duplicate class id");
            }
        }
        List<Product> products = list(content.products());
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            String at = "$.products[" + i + "]";
            IngredientIdentity ingredient = identities.byId.get(product.ingredient());
            if (ingredient == null) {
                throw invalid(where, at + ".ingredient", product.rxcui(), "no ingredient id " + product.ingredient() + " in this file");
            }
            String previous = codes.putIfAbsent(product.rxcui(), at + ".rxcui");
            if (previous != null) {
                throw invalid(where, at + ".rxcui", product.rxcui(), "is also " + previous);
            }
            identities.byCode.put(product.rxcui(), ingredient);
        }
        List<DiluentIdentity> diluents = list(content.diluents());
        for (int i = 0; i < diluents.size(); i++) {
            DiluentIdentity diluent = diluents.get(i);
            String at = "$.diluents[" + i + "]";
            if (identities.diluentsById.put(diluent.id(), diluent) != null) {
                throw invalid(where, at + ".id", diluent.id(), "duplicate diluent id");
            }
            List<String> spellings = list(diluent.names());
            for (int n = 0; n < spellings.size(); n++) {
                identities.name(where, identities.diluentsByName, names, spellings.get(n), diluent, at + ".names[" + n + "]", diluent.id());
            }
        }
        return identities;
    }

    /** Registers a name; a name (case and spacing aside) means one entry of the file, ingredient or diluent. */
    private <T> void name(String where, Map<String, T> byName, Map<String, String> names, String name, T entry, String path, String id) {
        String previous = names.putIfAbsent(normalize(name), path);
        if (previous != null) {
            throw invalid(where, path, id, "'" + name + "' is also " + previous);
        }
        byName.put(normalize(name), entry);
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

    private static IllegalStateException invalid(String where, String path, String id, String problem) {
        return new IllegalStateException(where + ": " + path + " (" + id + "): " + problem);
    }
}
