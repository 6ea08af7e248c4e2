package org.pumpcds.knowledge;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * knowledge/stability/: pumps, FDA-labeled uses, labeled refill limits and published studies, validated as they
 * load. The single source of "is this drug FDA-labeled for this route and pump", for the compounding rules and
 * the payer rules alike.
 */
public final class StabilityKnowledge {

    /**
     * Closed vocabularies (REFILL_WHEN: the situations StabilityEvaluator asks a refill limit for); the schemas in
     * knowledge/schema/ list the same (StabilitySchemaTest).
     */
    static final Set<String> EVIDENCE_TYPES = Set.of("published", "direct-testing", "fda-label");
    static final Set<String> CONTAINERS =
            Set.of("implantable-pump", "implantable-system", "glass", "syringe", "bag", "lab-simulation", "in-vivo");
    static final Set<String> REFILL_WHEN = Set.of("first-fill", "diluted", "undiluted");

    private final List<PumpModel> pumps;
    private final Map<String, PumpModel> pumpsById;
    /** Each pump name as words, split once (identifyPump runs on every pump order). */
    private final Map<String, List<String>> nameWords;
    private final List<LabeledProduct> labeledProducts;
    private final List<RefillLimit> refillLimits;
    private final List<StabilityRecord> studies;
    private final SubstanceIdentities identities;

    private StabilityKnowledge(List<PumpModel> pumps, List<LabeledProduct> labeledProducts,
            List<RefillLimit> refillLimits, List<StabilityRecord> studies, SubstanceIdentities identities) {
        this.identities = identities;
        this.pumps = List.copyOf(pumps);
        this.pumpsById = pumps.stream().collect(Collectors.toUnmodifiableMap(PumpModel::id, Function.identity()));
        this.nameWords = pumps.stream().flatMap(pump -> pump.names().stream()).distinct()
                .collect(Collectors.toUnmodifiableMap(Function.identity(), StabilityKnowledge::words));
        this.labeledProducts = List.copyOf(labeledProducts);
        this.refillLimits = List.copyOf(refillLimits);
        this.studies = List.copyOf(studies);
    }

    /**
     * Reads pumps.yaml, labeled-products.yaml, refill-limits.yaml, studies.yaml and substances.yaml. Each file is
     * checked against its schema (knowledge/schema/*.schema.json: known keys, required fields, closed vocabularies,
     * units), then for what a schema cannot see: ids unique, and every pump, product, ingredient and diluent a file
     * names known. A bad file stops the start with the file and the field (as a JSON path) named.
     */
    public static StabilityKnowledge load(KnowledgeFile pumps, KnowledgeFile labeled, KnowledgeFile refills,
            KnowledgeFile studies, KnowledgeFile substances) {
        SubstanceIdentities identities = SubstanceIdentities.load(substances);
        List<PumpModel> pumpList = read(pumps, "pumps.schema.json", PumpModel[].class);
        List<LabeledProduct> labeledList = read(labeled, "labeled-products.schema.json", LabeledProduct[].class);
        List<RefillLimit> refillList = read(refills, "refill-limits.schema.json", RefillLimit[].class);
        List<StabilityRecord> studyList = read(studies, "studies.schema.json", StabilityRecord[].class);

        unique(pumps.name(), pumpList.stream().map(PumpModel::id).toList());
        unique(labeled.name(), labeledList.stream().map(LabeledProduct::id).toList());
        unique(refills.name(), refillList.stream().map(RefillLimit::id).toList());
        unique(studies.name(), studyList.stream().map(StabilityRecord::id).toList());
        Set<String> pumpIds = pumpList.stream().map(PumpModel::id).collect(Collectors.toSet());
        for (int i = 0; i < labeledList.size(); i++) {
            LabeledProduct product = labeledList.get(i);
            String at = "$[" + i + "]";
            identified(labeled.name(), at + ".ingredient", product.id(), identities, substances.name(), product.ingredient());
            List<String> diluents = product.dilution() == null ? List.of() : product.dilution().diluents();
            for (int d = 0; d < diluents.size(); d++) {
                if (identities.diluentById(diluents.get(d)).isEmpty()) {
                    throw invalid(labeled.name(), at + ".dilution.diluents[" + d + "]", product.id(),
                            "no diluent id " + diluents.get(d) + " in " + substances.name());
                }
            }
            for (int u = 0; u < product.uses().size(); u++) {
                String pump = product.uses().get(u).pump();
                if (!pumpIds.contains(pump)) {
                    throw invalid(labeled.name(), at + ".uses[" + u + "].pump", product.id(), "no pump id " + pump + " in " + pumps.name());
                }
            }
        }
        Set<String> productIds = labeledList.stream().map(LabeledProduct::id).collect(Collectors.toSet());
        for (int i = 0; i < refillList.size(); i++) {
            RefillLimit limit = refillList.get(i);
            if (!productIds.contains(limit.product())) {
                throw invalid(refills.name(), "$[" + i + "].product", limit.id(),
                        "no product id " + limit.product() + " in " + labeled.name());
            }
        }
        for (int i = 0; i < studyList.size(); i++) {
            StabilityRecord study = studyList.get(i);
            for (int n = 0; n < study.ingredients().size(); n++) {
                identified(studies.name(), "$[" + i + "].ingredients[" + n + "]", study.id(), identities, substances.name(),
                        study.ingredients().get(n));
            }
            for (int c = 0; c < study.testedCombinations().size(); c++) {
                combination(studies.name(), "$[" + i + "].testedCombinations[" + c + "]", study, study.testedCombinations().get(c));
            }
            if (study.diluent() != null && identities.diluent(study.diluent()).isEmpty()) {
                throw invalid(studies.name(), "$[" + i + "].diluent", study.id(),
                        study.diluent() + " is not a diluent name in " + substances.name());
            }
        }
        return new StabilityKnowledge(pumpList, labeledList, refillList, studyList, identities);
    }

    /** A tested combination names each of the study's ingredients with a range once, at a value inside its range. */
    private static void combination(String where, String path, StabilityRecord study, Map<String, Double> combination) {
        List<Ingredient> ranged = study.ingredients().stream().filter(n -> n.concentration() != null).toList();
        for (Map.Entry<String, Double> entry : combination.entrySet()) {
            Ingredient ingredient = ranged.stream().filter(n -> n.name().equals(entry.getKey())).findFirst()
                    .orElseThrow(() -> invalid(where, path + "." + entry.getKey(), study.id(), entry.getKey()
                            + " is not an ingredient of this study with a tested concentration range"));
            ConcentrationRange range = ingredient.concentration();
            double mgPerMl = Concentration.toMgPerMl(entry.getValue(), range.unit()).orElseThrow();
            if (!range.contains(mgPerMl)) {
                throw invalid(where, path + "." + entry.getKey(), study.id(), entry.getValue() + " " + range.unit()
                        + " lies outside the tested range " + range);
            }
        }
        if (combination.size() != ranged.size()) {
            throw invalid(where, path, study.id(), "a combination names every ingredient with a tested range ("
                    + ranged.stream().map(Ingredient::name).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** Knowledge may only name ingredients the identity file knows, so comparisons with orders are exact. */
    private static void identified(String where, String path, String id, SubstanceIdentities identities, String substances,
            Ingredient ingredient) {
        if (identities.ingredient(ingredient.rxcui(), ingredient.name()).isEmpty()) {
            throw invalid(where, path, id, ingredient.name() + (ingredient.rxcui() == null ? "" : " (RxCUI " + ingredient.rxcui() + ")")
                    + " is not an ingredient in " + substances);
        }
    }

    public SubstanceIdentities identities() {
        return identities;
    }

    /**
     * Checks one pharmacy-attached evidence record; throws naming the field. (studies.yaml is checked by its schema,
     * which asks the same and more: a knowledge record must also cite its source.) A record without a citation still
     * loads, so the citation rule can report it.
     */
    static void validate(String where, StabilityRecord record) {
        String id = record.id() == null ? "(no id)" : record.id();
        if (!EVIDENCE_TYPES.contains(String.valueOf(record.evidenceType()))) {
            throw invalid(where, "$.evidenceType", id, "must be one of " + EVIDENCE_TYPES);
        }
        if (record.ingredients().isEmpty()) {
            throw invalid(where, "$.ingredients", id, "needs at least one ingredient");
        }
        for (int i = 0; i < record.ingredients().size(); i++) {
            Ingredient ingredient = record.ingredients().get(i);
            if (ingredient.name() == null || ingredient.name().isBlank()) {
                throw invalid(where, "$.ingredients[" + i + "].name", id, "is required");
            }
            if (ingredient.concentration() != null && Concentration.toMgPerMl(1, ingredient.concentration().unit()).isEmpty()) {
                throw invalid(where, "$.ingredients[" + i + "].concentration.unit", id,
                        "must be mass per mL (mg/mL, mcg/mL, ...), not " + ingredient.concentration().unit());
            }
        }
        if (record.container() == null || !CONTAINERS.contains(String.valueOf(record.container().type()))) {
            throw invalid(where, "$.container.type", id, "must be one of " + CONTAINERS);
        }
        if (record.temperatureC() == null || record.durationDays() == null) {
            throw invalid(where, "$.temperatureC/durationDays", id, "are required");
        }
    }

    /** Parses one pharmacy-attached evidence record (JSON with the fields of a knowledge record). */
    public static StabilityRecord parseAttached(String where, byte[] json) {
        try {
            StabilityRecord record = JsonMapper.builder().build().readValue(json, StabilityRecord.class);
            validate(where, record);
            return record;
        } catch (JacksonException | IllegalStateException e) {
            throw new IllegalArgumentException(where + ": not a stability evidence record", e);
        }
    }

    public List<PumpModel> pumps() {
        return pumps;
    }

    public Optional<PumpModel> pump(String id) {
        return Optional.ofNullable(pumpsById.get(id));
    }

    /** The pump model a name or model number denotes ("SynchroMed II", "8637-40"), if known. */
    public Optional<PumpModel> identifyPump(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        // A name matches as a run of whole words ("SynchroMed II 20 mL" is SynchroMed II, not SynchroMed III);
        // the longest matching name wins.
        List<String> words = words(text);
        PumpModel best = null;
        int bestLength = 0;
        for (PumpModel pump : pumps) {
            if (pump.id().equals(text)) {
                return Optional.of(pump);
            }
            for (String name : pump.names()) {
                List<String> named = nameWords.get(name);
                if (named.size() > bestLength && java.util.Collections.indexOfSubList(words, named) >= 0) {
                    best = pump;
                    bestLength = named.size();
                }
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        for (PumpModel pump : pumps) {
            if (pump.modelNumbers().stream().anyMatch(m -> text.trim().startsWith(m))) {
                return Optional.of(pump);
            }
        }
        return Optional.empty();
    }

    public List<LabeledProduct> labeledProducts() {
        return labeledProducts;
    }

    /**
     * Which of an ingredient's labeled products an order can be, by salt: none when the order names another salt
     * ({@code otherSalt}: morphine hydrochloride is not Infumorph), none when it names no salt and not the product of
     * a label that defines one ({@code saltUnknown}: "morphine 25 mg/mL" is not shown to be Infumorph); else those left.
     */
    public record SaltMatch(List<LabeledProduct> candidates, boolean otherSalt, boolean saltUnknown) {
    }

    /** The salt test both the pharmacy rules and the payer's labeled-route criterion apply before {@link #labeledUse}. */
    public static SaltMatch bySalt(List<LabeledProduct> products, String orderedSalt, String orderLabel) {
        if (!products.isEmpty() && products.stream().allMatch(l -> l.saltDiffers(orderedSalt))) {
            return new SaltMatch(List.of(), true, false);
        }
        List<LabeledProduct> candidates = products.stream()
                .filter(l -> !l.saltDiffers(orderedSalt) && (orderedSalt != null || l.identifiedWithoutSalt(orderLabel))).toList();
        return new SaltMatch(candidates, false, !products.isEmpty() && candidates.isEmpty());
    }

    /** A labeled use an order matches: the product, and whether it is the labeled dilution. */
    public record LabeledMatch(LabeledProduct product, boolean diluted) {
    }

    /**
     * The one test of FDA-labeled use, shared by the pharmacy rules and the payer's labeled-route criterion: one of the
     * {@code candidates} (this ingredient's products the order can be, by {@link #bySalt}), at a labeled strength or
     * labeled dilution with these diluents, labeled for this route in this pump (any pump when {@code pumpId} is null:
     * BCBSAZ's "FDA-approved for this route of access"), inside the use's concentration range when it narrows one.
     * Products are tried in the given order.
     */
    public Optional<LabeledMatch> labeledUse(List<LabeledProduct> candidates, Double mgPerMl, List<String> diluents,
            String route, String pumpId) {
        for (LabeledProduct product : candidates) {
            Optional<Boolean> diluted = product.labeledStrength(mgPerMl, diluents, identities);
            if (diluted.isEmpty()) {
                continue;
            }
            for (LabeledProduct.LabeledUse use : product.uses()) {
                boolean inRange = use.concentrationRange() == null || (mgPerMl != null && use.concentrationRange().contains(mgPerMl));
                if ((pumpId == null || use.pump().equals(pumpId)) && use.routes().contains(route) && inRange) {
                    return Optional.of(new LabeledMatch(product, diluted.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The labeled products whose ingredient is this one (by exact identity). */
    public List<LabeledProduct> labeledProductsOf(String rxcui, String name) {
        return labeledProducts.stream().filter(l -> identities.same(rxcui, name, l.ingredient())).toList();
    }

    public List<RefillLimit> refillLimits(String productId) {
        return refillLimits.stream().filter(l -> l.product().equals(productId)).toList();
    }

    public List<StabilityRecord> studies() {
        return studies;
    }

    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static <T> List<T> read(KnowledgeFile file, String schema, Class<T[]> type) {
        T[] items = KnowledgeSchema.load(schema).read(file, type);
        return items == null ? List.of() : List.of(items);
    }

    /** Ids are unique within a file (the schema requires each entry to have one). */
    private static void unique(String where, List<String> ids) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Integer first = seen.putIfAbsent(ids.get(i), i);
            if (first != null) {
                throw invalid(where, "$[" + i + "].id", ids.get(i), "duplicate id, also $[" + first + "].id");
            }
        }
    }

    /** A problem a schema cannot see, named as the schema names its own: file, JSON path, the entry's id. */
    private static IllegalStateException invalid(String where, String path, String id, String problem) {
        return new IllegalStateException(where + ": " + path + " (" + id + "): " + problem);
    }

    /** Names the files load() expects, in order, so callers and lint tests agree. */
    public static final List<String> FILES =
            List.of("pumps.yaml", "labeled-products.yaml", "refill-limits.yaml", "studies.yaml", "substances.yaml");

    /** Convenience for callers that hold the files in {@link #FILES} order. */
    public static StabilityKnowledge load(List<KnowledgeFile> files) {
        if (files.size() != FILES.size()) {
            throw new IllegalStateException("knowledge/stability needs " + FILES + ", found " + files.size() + " files");
        }
        return load(files.get(0), files.get(1), files.get(2), files.get(3), files.get(4));
    }

}
