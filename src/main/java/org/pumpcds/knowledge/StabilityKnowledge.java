package org.pumpcds.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * knowledge/stability/: pumps, FDA-labeled uses, labeled refill limits and published studies, validated as they
 * load. The single source of "is this drug FDA-labeled for this route and pump", for the compounding rules and
 * the payer rules alike.
 */
public final class StabilityKnowledge {

    private static final Set<String> EVIDENCE_TYPES = Set.of("published", "direct-testing", "fda-label");
    private static final Set<String> CONTAINERS =
            Set.of("implantable-pump", "implantable-system", "glass", "syringe", "bag", "lab-simulation", "in-vivo");
    private static final Set<String> REFILL_WHEN = Set.of("first-fill", "diluted", "undiluted");

    private final List<PumpModel> pumps;
    private final Map<String, PumpModel> pumpsById;
    private final List<LabeledProduct> labeledProducts;
    private final List<RefillLimit> refillLimits;
    private final List<StabilityRecord> studies;
    private final SubstanceIdentities identities;

    private StabilityKnowledge(List<PumpModel> pumps, List<LabeledProduct> labeledProducts,
            List<RefillLimit> refillLimits, List<StabilityRecord> studies, SubstanceIdentities identities) {
        this.identities = identities;
        this.pumps = List.copyOf(pumps);
        this.pumpsById = pumps.stream().collect(Collectors.toUnmodifiableMap(PumpModel::id, Function.identity()));
        this.labeledProducts = List.copyOf(labeledProducts);
        this.refillLimits = List.copyOf(refillLimits);
        this.studies = List.copyOf(studies);
    }

    /** Reads pumps.yaml, labeled-products.yaml, refill-limits.yaml, studies.yaml and substances.yaml. */
    public static StabilityKnowledge load(KnowledgeFile pumps, KnowledgeFile labeled, KnowledgeFile refills,
            KnowledgeFile studies, KnowledgeFile substances) {
        SubstanceIdentities identities = SubstanceIdentities.load(substances.content());
        ObjectMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        List<PumpModel> pumpList = read(yaml, pumps, PumpModel[].class);
        List<LabeledProduct> labeledList = read(yaml, labeled, LabeledProduct[].class);
        List<RefillLimit> refillList = read(yaml, refills, RefillLimit[].class);
        List<StabilityRecord> studyList = read(yaml, studies, StabilityRecord[].class);

        unique(pumps.name(), pumpList.stream().map(PumpModel::id).toList());
        unique(labeled.name(), labeledList.stream().map(LabeledProduct::id).toList());
        unique(refills.name(), refillList.stream().map(RefillLimit::id).toList());
        unique(studies.name(), studyList.stream().map(StabilityRecord::id).toList());
        Set<String> pumpIds = pumpList.stream().map(PumpModel::id).collect(Collectors.toSet());
        for (PumpModel pump : pumpList) {
            require(pumps.name(), pump.id(), "source", pump.source());
            require(pumps.name(), pump.id(), "names", pump.names().isEmpty() ? null : "ok");
        }
        for (LabeledProduct product : labeledList) {
            String where = labeled.name();
            require(where, product.id(), "product", product.product());
            require(where, product.id(), "source", product.source());
            require(where, product.id(), "ingredient.name", product.ingredient() == null ? null : product.ingredient().name());
            if (product.concentrations().isEmpty() && !product.anyConcentrationLabeled()) {
                throw invalid(where, product.id(), "concentrations", "is required unless anyConcentration is true");
            }
            product.concentrations().forEach(c -> unit(where, product.id(), c.unit()));
            identified(where, product.id(), identities, product.ingredient());
            if (product.dilution() != null && (product.dilution().diluents() == null || product.dilution().diluents().stream()
                    .anyMatch(d -> identities.diluentById(d).isEmpty()))) {
                throw invalid(where, product.id(), "dilution.diluents", "must name diluent ids of " + SubstanceIdentities.FILE);
            }
            if (product.uses().isEmpty()) {
                throw invalid(where, product.id(), "uses", "needs at least one pump and route");
            }
            for (LabeledProduct.LabeledUse use : product.uses()) {
                if (!pumpIds.contains(use.pump())) {
                    throw invalid(where, product.id(), "uses.pump", "names unknown pump " + use.pump());
                }
                if (use.routes() == null || use.routes().isEmpty()) {
                    throw invalid(where, product.id(), "uses.routes", "is required");
                }
            }
        }
        Set<String> productIds = labeledList.stream().map(LabeledProduct::id).collect(Collectors.toSet());
        for (RefillLimit limit : refillList) {
            require(refills.name(), limit.id(), "source", limit.source());
            if (!productIds.contains(limit.product())) {
                throw invalid(refills.name(), limit.id(), "product", "names unknown product " + limit.product());
            }
            if (!REFILL_WHEN.contains(limit.when()) || limit.maxDays() <= 0) {
                throw invalid(refills.name(), limit.id(), "when/maxDays", "must be one of " + REFILL_WHEN + " with maxDays > 0");
            }
        }
        studyList.forEach(s -> validate(studies.name(), s, true));
        for (StabilityRecord study : studyList) {
            study.ingredients().forEach(i -> identified(studies.name(), study.id(), identities, i));
            if (study.diluent() != null && identities.diluent(study.diluent()).isEmpty()) {
                throw invalid(studies.name(), study.id(), "diluent", "is not a diluent name in " + SubstanceIdentities.FILE);
            }
        }
        return new StabilityKnowledge(pumpList, labeledList, refillList, studyList, identities);
    }

    /** Knowledge may only name ingredients the identity file knows, so comparisons with orders are exact. */
    private static void identified(String where, String id, SubstanceIdentities identities, Ingredient ingredient) {
        if (identities.ingredient(ingredient.rxcui(), ingredient.name()).isEmpty()) {
            throw invalid(where, id, "ingredient", ingredient.name() + " is not in " + SubstanceIdentities.FILE);
        }
    }

    public SubstanceIdentities identities() {
        return identities;
    }

    /**
     * Checks one evidence record; throws naming the field. Knowledge records must cite their source; a pharmacy
     * record without a citation still loads, so the citation rule can report it.
     */
    static void validate(String where, StabilityRecord record, boolean requireCitation) {
        String id = record.id() == null ? "(no id)" : record.id();
        if (requireCitation) {
            require(where, id, "citation", record.citation());
        }
        if (!EVIDENCE_TYPES.contains(String.valueOf(record.evidenceType()))) {
            throw invalid(where, id, "evidenceType", "must be one of " + EVIDENCE_TYPES);
        }
        if (record.ingredients().isEmpty()) {
            throw invalid(where, id, "ingredients", "needs at least one ingredient");
        }
        for (Ingredient ingredient : record.ingredients()) {
            require(where, id, "ingredients.name", ingredient.name());
            if (ingredient.concentration() != null) {
                unit(where, id, ingredient.concentration().unit());
            }
        }
        if (record.container() == null || !CONTAINERS.contains(String.valueOf(record.container().type()))) {
            throw invalid(where, id, "container.type", "must be one of " + CONTAINERS);
        }
        if (record.temperatureC() == null || record.durationDays() == null) {
            throw invalid(where, id, "temperatureC/durationDays", "are required");
        }
    }

    /** Parses one pharmacy-attached evidence record (JSON with the fields of a knowledge record). */
    public static StabilityRecord parseAttached(String where, byte[] json) {
        try {
            StabilityRecord record = JsonMapper.builder().build().readValue(json, StabilityRecord.class);
            validate(where, record, false);
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
                List<String> nameWords = words(name);
                if (nameWords.size() > bestLength && java.util.Collections.indexOfSubList(words, nameWords) >= 0) {
                    best = pump;
                    bestLength = nameWords.size();
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

    /** A labeled use an order matches: the product, and whether it is the labeled dilution. */
    public record LabeledMatch(LabeledProduct product, boolean diluted) {
    }

    /**
     * The one test of FDA-labeled use, shared by the pharmacy rules and the payer's labeled-route criterion: a product
     * of this ingredient (by identity), at a labeled strength or labeled dilution with these diluents, labeled for this
     * route in this pump (any pump when {@code pumpId} is null: BCBSAZ's "FDA-approved for this route of access"),
     * inside the use's concentration range when it narrows one. Products are tried in the given order.
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

    private static <T> List<T> read(ObjectMapper yaml, KnowledgeFile file, Class<T[]> type) {
        try (InputStream in = file.content()) {
            T[] items = yaml.readValue(in, type);
            return items == null ? List.of() : List.of(items);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException(file.name() + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static void unique(String where, List<String> ids) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw new IllegalStateException(where + ": an entry has no id");
            }
            if (!seen.add(id)) {
                throw new IllegalStateException(where + ": duplicate id " + id);
            }
        }
    }

    private static void unit(String where, String id, String unit) {
        if (Concentration.toMgPerMl(1, unit).isEmpty()) {
            throw invalid(where, id, "unit", "must be mass per mL (mg/mL, mcg/mL, ...), not " + unit);
        }
    }

    private static void require(String where, String id, String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(where, id, field, "is required");
        }
    }

    private static IllegalStateException invalid(String where, String id, String field, String problem) {
        return new IllegalStateException(where + ": " + id + ": " + field + " " + problem);
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
