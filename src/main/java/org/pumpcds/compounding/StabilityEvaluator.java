package org.pumpcds.compounding;

import org.pumpcds.preparation.Amounts;
import org.pumpcds.preparation.PumpPreparation;
import static org.pumpcds.findings.Finding.Status.INFORMATION;
import static org.pumpcds.findings.Finding.Status.MET;
import static org.pumpcds.findings.Finding.Status.NOT_DOCUMENTED;
import static org.pumpcds.findings.Finding.Status.UNMET;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Medication;
import org.pumpcds.preparation.PumpPreparation.AttachedEvidence;
import org.pumpcds.preparation.PumpPreparation.PreparedIngredient;
import org.pumpcds.findings.Criteria;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.ProposedAction;
import org.pumpcds.knowledge.Concentration;
import org.pumpcds.knowledge.Ingredient;
import org.pumpcds.knowledge.LabeledProduct;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.PumpModel;
import org.pumpcds.knowledge.RefillLimit;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.knowledge.SubstanceIdentities;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;
import org.pumpcds.knowledge.StabilityRecord;

/**
 * Decides, for one pump preparation, the pathway of MA Policy 2024-02 / Utah R156-17b-614a and checks it:
 * <ol>
 *   <li>FDA-labeled use (one labeled product, labeled strength or labeled dilution, labeled pump and route):
 *       no documentation needed; labeled refill limits still apply (LBL-01).</li>
 *   <li>Otherwise documentation: the order's pharmacy-attached evidence records, or a published study in the
 *       knowledge base that matches the preparation (same ingredients, every concentration inside confirmed
 *       tested ranges). None: critical. Else each element is checked against the best evidence.</li>
 * </ol>
 * Pure function of the preparation and the knowledge; stateless.
 */
public final class StabilityEvaluator {

    /**
     * The facts each pharmacy and label element kind may give its template (beside the criterion's own and the
     * episode's {@code label} and {@code jurisdictionPolicy}); the template lint holds templates to these.
     */
    public static final Map<String, Set<String>> FACTS = Map.ofEntries(
            Map.entry("stability-documentation", Set.of("product", "pump", "labeled", "refillChecked", "ingredientsUnknown", "unidentified",
                    "strengthUnknown", "pumpUnknown", "pumpOnRecord", "admixture", "activeCount", "noLabeledProduct", "diluentNotLabeled",
                    "orderDiluent", "allowedDiluent", "benzylAlcohol", "strengthNotLabeled", "orderedStrength",
                    "labeledStrengths", "pumpNotLabeled", "routeNotLabeled", "saltNotLabeled", "labeledSalt", "orderedSalt", "saltUnknown", "unreadable", "closest", "hasFailed", "failed",
                    "citation", "evidenceType", "attached")),
            Map.entry("stability-duration", Set.of("testedDays", "plannedDays", "plannedBasis")),
            Map.entry("stability-temperature", Set.of("testedC", "bodyC")),
            Map.entry("stability-fever", Set.of("testedC", "bodyC", "lookbackDays", "patientC", "feverC", "noFever")),
            Map.entry("stability-ingredients", Set.of("orderIngredients", "testedIngredients", "extra", "hasExtra", "missing",
                    "hasMissing", "diluentDiffers", "testedDiluent", "orderDiluent")),
            Map.entry("stability-concentration", Set.of("ingredient", "ordered", "tested", "unconfirmed", "notTogether", "combinations")),
            Map.entry("stability-salt-form", Set.of("ingredient", "testedSalt", "orderedSalt")),
            Map.entry("stability-pump", Set.of("orderPump", "testedIn", "notInPump")),
            Map.entry("stability-citation", Set.of("citation", "incomplete")),
            Map.entry("stability-bud-method", Set.of("budMethod")),
            Map.entry("labeled-refill-interval", Set.of("product", "maxDays", "plannedDays", "firstFill", "diluted", "undiluted")),
            Map.entry("safety-communication", Set.of()));
    /** Keys of the items of the list-valued facts. */
    public static final Map<String, Set<String>> LIST_ITEMS = Map.of("unreadable", Set.of("reference", "problem"),
            "closest", Set.of("citation", "id", "testedOnly"), "failed", Set.of("reference", "result"));
    /** What every element's facts carry: the preparation's name and the pharmacy policy's label. */
    public static final Set<String> BASE_FACTS = Set.of("label", "jurisdictionPolicy");

    private final StabilityKnowledge knowledge;
    private final PolicyKnowledge policies;
    private final ValueSetIndex valueSets;
    private final CompoundingSettings settings;

    public StabilityEvaluator(StabilityKnowledge knowledge, PolicyKnowledge policies, ValueSetIndex valueSets,
            CompoundingSettings settings) {
        this.knowledge = knowledge;
        this.policies = policies;
        this.valueSets = valueSets;
        this.settings = settings;
    }

    /** Whether the preparation is an FDA-labeled use, and if not, why not (shared with the payer rules). */
    public record LabelCheck(LabeledProduct product, boolean diluted, boolean pumpUnknown,
            LabeledProduct sameIngredient, Map<String, Object> whyNot) {

        public boolean labeled() {
            return product != null;
        }
    }

    /** The elements of the pharmacy policy that governs the dispensing pharmacy, and the label's refill limit and note. */
    public List<Finding> evaluate(PumpPreparation p, Policy policy) {
        List<Finding> findings = new ArrayList<>();
        LabelCheck label = labelCheck(p);
        Map<String, Object> base = new HashMap<>();
        base.put("label", p.actives().isEmpty() ? p.label()
                : p.actives().stream().map(PreparedIngredient::name).collect(Collectors.joining(" + ")));
        base.put("jurisdictionPolicy", policy.label());

        if (label.labeled()) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.put("product", label.product().product());
            facts.put("pump", p.pump().displayName());
            facts.put("labeled", true);
            Optional<Finding> refill = refillLimit(p, label);
            // without a refill limit on file the interval goes unchecked: the card must not imply it was
            facts.put("refillChecked", refill.isPresent());
            add(findings, policy, "stability-documentation", MET, p.orderReference(),
                    List.of(new Evidence("knowledge/stability/labeled-products.yaml#" + label.product().id(),
                            label.product().product() + " in " + p.pump().displayName(), null)), facts, List.of());
            refill.ifPresent(findings::add);
            return findings;
        }
        if (p.actives().isEmpty()) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.put("ingredientsUnknown", true);
            add(findings, policy, "stability-documentation", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(p.orderReference(), "no ingredients or strengths on the order", null)), facts, List.of());
            return findings;
        }
        List<String> unidentified = p.actives().stream().filter(a -> !a.identified()).map(PreparedIngredient::name).toList();
        // a mixture is never labeled use, and no evidence can name an unidentified ingredient: without a pharmacy
        // record that might, "nothing documents it" is true; otherwise the ingredient's identity decides
        if (!unidentified.isEmpty() && (p.actives().size() == 1 || !p.attached().isEmpty())) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.put("unidentified", String.join(", ", unidentified));
            add(findings, policy, "stability-documentation", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(p.orderReference(), "not identified: " + String.join(", ", unidentified), null)),
                    facts, List.of());
            return findings;
        }
        if (label.whyNot().containsKey("saltUnknown")) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.putAll(label.whyNot());
            add(findings, policy, "stability-documentation", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(p.orderReference(), label.sameIngredient().saltNotStated(), null)), facts, List.of());
            return findings;
        }
        if (label.whyNot().containsKey("strengthUnknown")) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.put("strengthUnknown", true);
            add(findings, policy, "stability-documentation", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(p.orderReference(), "no strength (Medication.ingredient.strength) on the order", null)),
                    facts, List.of());
            return findings;
        }
        if (label.pumpUnknown()) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.put("pumpUnknown", true);
            facts.put("product", label.sameIngredient().product());
            facts.put("pumpOnRecord", p.pumpDescription() == null ? "none" : p.pumpDescription());
            add(findings, policy, "stability-documentation", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(null, p.pumpDescription() == null ? "no implanted or ordered pump model on record"
                            : p.pumpDescription() + ": the pump this order fills is not identified", null)), facts, List.of());
            return findings;
        }

        List<Candidate> candidates = new ArrayList<>();
        // a pharmacy record is documentation on file even for another mixture: what it did not test is its own
        // finding (domain.md MA-05: "Evidence covers morphine+clonidine; order adds bupivacaine" is a warning)
        for (AttachedEvidence attached : p.attached()) {
            if (attached.record() != null) {
                candidates.add(new Candidate(attached.reference(), attached.record(), true));
            }
        }
        List<StabilityRecord> closest = new ArrayList<>();
        for (StabilityRecord study : knowledge.studies()) {
            if (sameIngredients(p.actives(), study.ingredients())) {
                if (concentrationsCovered(p.actives(), study)) {
                    candidates.add(new Candidate("knowledge/stability/studies.yaml#" + study.id(), study, false));
                } else {
                    closest.add(study);
                }
            }
        }
        // evidence that the preparation did not stay stable for even a day documents failure, never stability
        List<Candidate> failed = candidates.stream().filter(c -> c.record.durationDays() < 1).toList();
        candidates.removeAll(failed);
        Optional<Finding> fdaNote = safetyCommunication(p, base);
        if (candidates.isEmpty()) {
            Map<String, Object> facts = new HashMap<>(base);
            facts.putAll(label.whyNot());
            facts.put("unreadable", p.attached().stream().filter(a -> a.record() == null)
                    .map(a -> Map.of("reference", a.reference(), "problem", a.problem())).toList());
            facts.put("closest", closest.stream().map(s -> Map.of("citation", s.citation(), "id", s.id(),
                    "testedOnly", combinations(s))).toList());
            facts.put("hasFailed", !failed.isEmpty());
            facts.put("failed", failed.stream().map(f -> Map.of("reference", f.reference,
                    "result", f.record.result() == null ? "stable for less than a day" : f.record.result())).toList());
            List<ProposedAction> actions = new ArrayList<>();
            // one click may change the diluent, never the product's concentration: that changes the dose delivered
            // and the pump's programming, the prescriber's and pharmacist's calculation (the detail names the
            // labeled strengths instead)
            if (label.whyNot().containsKey("diluentNotLabeled")) {
                actions.add(new ProposedAction("use-labeled-diluent", "update",
                        withDiluent(p.request(), (String) label.whyNot().get("allowedDiluent"))));
            }
            List<Evidence> evidence = new ArrayList<>();
            evidence.add(new Evidence(p.orderReference(), ingredientList(p), null));
            failed.forEach(f -> evidence.add(new Evidence(f.reference, "documents loss of stability: "
                    + (f.record.result() == null ? "stable for less than a day" : f.record.result()), f.record.url())));
            closest.forEach(s -> evidence.add(new Evidence("knowledge/stability/studies.yaml#" + s.id(),
                    "closest published study, not covering this preparation: " + s.citation(), s.url())));
            add(findings, policy, "stability-documentation", UNMET, p.orderReference(), evidence, facts, actions);
            fdaNote.ifPresent(findings::add);
            return findings;
        }

        // Each candidate's element checks are computed once; the best meets the most elements, then prefers the
        // pharmacy's own record, then the longest documented duration.
        record Checked(Candidate candidate, List<Finding> elements, long met) {
        }
        Checked checked = candidates.stream()
                .map(c -> {
                    List<Finding> elements = elements(p, c, policy, base);
                    return new Checked(c, elements, elements.stream().filter(f -> f.status() == MET).count());
                })
                .max(Comparator.comparingLong(Checked::met)
                        .thenComparing(x -> x.candidate().attached)
                        .thenComparingDouble(x -> x.candidate().record.durationDays()))
                .orElseThrow();
        Candidate best = checked.candidate();
        Map<String, Object> facts = new HashMap<>(base);
        facts.put("citation", best.record.citation() == null ? "no citation" : best.record.citation());
        facts.put("evidenceType", best.record.evidenceType());
        facts.put("attached", best.attached);
        add(findings, policy, "stability-documentation", MET, p.orderReference(),
                List.of(evidence(best)), facts, List.of());
        findings.addAll(checked.elements());
        fdaNote.ifPresent(findings::add);
        return findings;
    }

    /** One evidence record under consideration, and where it came from. */
    private record Candidate(String reference, StabilityRecord record, boolean attached) {
    }

    private List<Finding> elements(PumpPreparation p, Candidate c, Policy policy, Map<String, Object> base) {
        StabilityRecord r = c.record;
        Evidence evidence = evidence(c);
        List<Finding> out = new ArrayList<>();

        Map<String, Object> duration = new HashMap<>(base);
        duration.put("testedDays", Amounts.days(r.durationDays()));
        duration.put("plannedDays", Amounts.days(p.plannedDays()));
        duration.put("plannedBasis", p.plannedBasis() == null ? "" : p.plannedBasis());
        if (p.plannedDays() == null) {
            add(out, policy, "stability-duration", NOT_DOCUMENTED, p.orderReference(), List.of(evidence,
                    new Evidence(p.orderReference(), "no expected supply duration, or rate and reservoir, on record", null)),
                    duration, List.of());
        } else if (p.plannedDays() > r.durationDays()) {
            add(out, policy, "stability-duration", UNMET, p.orderReference(), List.of(evidence,
                    new Evidence(p.orderReference(), "planned " + Amounts.days(p.plannedDays()), null)), duration,
                    List.of(new ProposedAction("shorten-interval", "update", withSupplyDays(p.request(), r.durationDays()))));
        } else {
            add(out, policy, "stability-duration", MET, p.orderReference(), List.of(evidence), duration, List.of());
        }

        Map<String, Object> temperature = new HashMap<>(base);
        temperature.put("testedC", Amounts.number(r.temperatureC()));
        temperature.put("bodyC", Amounts.number(settings.bodyTemperatureC()));
        add(out, policy, "stability-temperature", r.temperatureC() >= settings.bodyTemperatureC() ? MET : UNMET,
                p.orderReference(), List.of(evidence), temperature, List.of());

        Map<String, Object> fever = new HashMap<>(temperature);
        fever.put("lookbackDays", Amounts.number(settings.temperatureLookback().toHours() / 24.0));
        if (p.maxTemperatureC() == null) {
            add(out, policy, "stability-fever", NOT_DOCUMENTED, p.orderReference(),
                    List.of(new Evidence(null, "no body temperature (LOINC 8310-5) in the look-back window", null)), fever, List.of());
        } else {
            fever.put("patientC", Amounts.number(p.maxTemperatureC()));
            fever.put("feverC", Amounts.number(settings.feverThresholdC()));
            boolean feverish = p.maxTemperatureC() >= settings.feverThresholdC();
            fever.put("noFever", !feverish);
            // a normal temperature above a room-temperature study is the temperature element's finding, not a fever
            add(out, policy, "stability-fever", feverish && p.maxTemperatureC() > r.temperatureC() ? UNMET : MET,
                    p.orderReference(), List.of(evidence, new Evidence(p.temperatureRef(),
                            "highest recent temperature " + Amounts.number(p.maxTemperatureC()) + " °C", null)), fever, List.of());
        }

        List<String> extra = p.actives().stream().filter(a -> r.ingredients().stream().noneMatch(i -> same(a, i)))
                .map(PreparedIngredient::name).toList();
        List<String> untested = r.ingredients().stream().filter(i -> p.actives().stream().noneMatch(a -> same(a, i)))
                .map(Ingredient::name).toList();
        boolean diluentDiffers = r.diluent() != null && !p.diluents().isEmpty()
                && p.diluents().stream().noneMatch(d -> sameDiluent(d, r.diluent()));
        Map<String, Object> ingredients = new HashMap<>(base);
        ingredients.put("orderIngredients", ingredientList(p));
        ingredients.put("testedIngredients", r.ingredients().stream().map(Ingredient::name).collect(Collectors.joining(" + ")));
        ingredients.put("extra", String.join(", ", extra));
        ingredients.put("hasExtra", !extra.isEmpty());
        ingredients.put("missing", String.join(", ", untested));
        ingredients.put("hasMissing", !untested.isEmpty());
        ingredients.put("diluentDiffers", diluentDiffers);
        ingredients.put("testedDiluent", r.diluent() == null ? "" : r.diluent());
        ingredients.put("orderDiluent", String.join(", ", p.diluents()));
        add(out, policy, "stability-ingredients", extra.isEmpty() && untested.isEmpty() && !diluentDiffers ? MET : UNMET,
                p.orderReference(), List.of(evidence, new Evidence(p.orderReference(), ingredientList(p), null)), ingredients, List.of());

        // a pairing is judged only with every strength stated; a missing one is its own "not documented"
        boolean testedTogether = orderedByTestedName(p.actives(), r).map(r::testedTogether).orElse(true);
        for (PreparedIngredient active : p.actives()) {
            Optional<Ingredient> tested = r.ingredients().stream().filter(i -> same(active, i)).findFirst();
            if (tested.isEmpty()) {
                continue;
            }
            Map<String, Object> concentration = new HashMap<>(base);
            concentration.put("ingredient", active.name());
            concentration.put("ordered", Amounts.concentration(active.mgPerMl()));
            concentration.put("tested", tested.get().concentration() == null ? "not stated"
                    : tested.get().concentration().toString());
            concentration.put("notTogether", false);
            concentration.put("combinations", combinations(r));
            Finding.Status status;
            if (active.mgPerMl() == null || tested.get().concentration() == null || !r.confirms("concentrations")) {
                status = NOT_DOCUMENTED;
                concentration.put("unconfirmed", !r.confirms("concentrations"));
            } else if (!tested.get().concentration().contains(active.mgPerMl())) {
                status = UNMET;
            } else {
                // inside its range, but the study tested only some pairings and not this one
                concentration.put("notTogether", !testedTogether);
                status = testedTogether ? MET : UNMET;
            }
            add(out, policy, "stability-concentration", status, p.orderReference(), List.of(evidence), concentration, List.of());

            if (tested.get().saltForm() != null) {
                Map<String, Object> salt = new HashMap<>(base);
                salt.put("ingredient", active.name());
                salt.put("testedSalt", tested.get().saltForm());
                salt.put("orderedSalt", active.saltForm() == null ? "not stated" : active.saltForm());
                Finding.Status saltStatus = active.saltForm() == null ? NOT_DOCUMENTED
                        : active.saltForm().equalsIgnoreCase(tested.get().saltForm()) ? MET : UNMET;
                add(out, policy, "stability-salt-form", saltStatus, p.orderReference(), List.of(evidence), salt, List.of());
            }
        }

        Map<String, Object> pump = new HashMap<>(base);
        pump.put("orderPump", p.pump() != null ? p.pump().displayName() : p.pumpDescription() == null ? "not documented" : p.pumpDescription());
        pump.put("testedIn", r.container().description() == null ? r.container().type() : r.container().description());
        Finding.Status pumpStatus;
        String type = r.container().type();
        Optional<PumpModel> testedPump = knowledge.identifyPump(r.container().pump());
        if (p.pump() == null) {
            pumpStatus = NOT_DOCUMENTED;
        } else if (type.equals("implantable-pump") || type.equals("in-vivo")) {
            pumpStatus = testedPump.isEmpty() ? NOT_DOCUMENTED : testedPump.get().id().equals(p.pump().id()) ? MET : UNMET;
        } else if (type.equals("implantable-system")) {
            pumpStatus = NOT_DOCUMENTED;
        } else {
            pumpStatus = UNMET;
            pump.put("notInPump", true);
        }
        add(out, policy, "stability-pump", pumpStatus, p.orderReference(), List.of(evidence), pump, List.of());

        Map<String, Object> citation = new HashMap<>(base);
        citation.put("citation", r.citation() == null ? "" : r.citation());
        List<String> missing = r.unconfirmed().stream().filter(f -> Set.of("authors", "year", "citation").contains(f)).toList();
        citation.put("incomplete", String.join(", ", missing));
        Finding.Status citationStatus = r.citation() == null || r.citation().isBlank() ? UNMET : missing.isEmpty() ? MET : NOT_DOCUMENTED;
        add(out, policy, "stability-citation", citationStatus, p.orderReference(), List.of(evidence), citation, List.of());

        if (policy.criterionOfKind("stability-bud-method").isPresent()) {
            Map<String, Object> bud = new HashMap<>(base);
            bud.put("budMethod", r.budMethod() == null ? "" : r.budMethod());
            add(out, policy, "stability-bud-method", r.budMethod() == null || r.budMethod().isBlank() ? UNMET : MET,
                    p.orderReference(), List.of(evidence), bud, List.of());
        }
        return out;
    }

    /** The pairings a study tested, for the card: "morphine 7.5 mg/mL + baclofen 1.5 mg/mL; ...". */
    private static String combinations(StabilityRecord r) {
        // in the study's order of ingredients, so the card reads the same every time
        return r.testedCombinations().stream().map(c -> r.ingredients().stream()
                .filter(i -> c.containsKey(i.name()) && i.concentration() != null)
                .map(i -> i.name() + " " + new Concentration(c.get(i.name()), i.concentration().unit()))
                .collect(Collectors.joining(" + "))).collect(Collectors.joining("; "));
    }

    /** FDA-labeled use: one active ingredient of a labeled product, labeled strength or dilution, pump and route. */
    public LabelCheck labelCheck(PumpPreparation p) {
        Map<String, Object> whyNot = new LinkedHashMap<>();
        if (p.actives().size() != 1) {
            whyNot.put("admixture", p.actives().size() > 1);
            whyNot.put("activeCount", p.actives().size());
            return new LabelCheck(null, false, false, null, whyNot);
        }
        PreparedIngredient active = p.actives().get(0);
        List<LabeledProduct> products = active.identified() ? knowledge.labeledProductsOf(active.rxcui(), active.name()) : List.of();
        if (products.isEmpty()) {
            whyNot.put("noLabeledProduct", true);
            return new LabelCheck(null, false, false, null, whyNot);
        }
        StabilityKnowledge.SaltMatch salt = StabilityKnowledge.bySalt(products, active.saltForm(), p.label());
        if (salt.otherSalt() || salt.saltUnknown()) {
            LabeledProduct labeledProduct = products.get(0);
            whyNot.put(salt.otherSalt() ? "saltNotLabeled" : "saltUnknown", true);
            whyNot.put("product", labeledProduct.product());
            whyNot.put("labeledSalt", labeledProduct.labeledSalt());
            if (salt.otherSalt()) {
                whyNot.put("orderedSalt", labeledProduct.ingredient().name() + " " + active.saltForm());
            }
            return new LabelCheck(null, false, false, labeledProduct, whyNot);
        }
        // the product the order names (Gablofen, not Lioresal) is checked first, so the card calls it by its name
        products = salt.candidates().stream().sorted(Comparator.comparing((LabeledProduct l) -> !l.namedIn(p.label()))).toList();
        LabeledProduct sameIngredient = products.get(0);
        if (active.mgPerMl() == null && products.stream().noneMatch(LabeledProduct::anyConcentrationLabeled)) {
            whyNot.put("strengthUnknown", true);
            return new LabelCheck(null, false, false, sameIngredient, whyNot);
        }
        if (p.pump() != null) {
            Optional<StabilityKnowledge.LabeledMatch> labeled = knowledge.labeledUse(products, active.mgPerMl(), p.diluents(), p.routeCode(), p.pump().id());
            if (labeled.isPresent()) {
                return new LabelCheck(labeled.get().product(), labeled.get().diluted(), false, labeled.get().product(), whyNot);
            }
        }
        // not labeled: find out why, for the card
        List<LabeledProduct> strengthLabeled = products.stream()
                .filter(l -> l.labeledStrength(active.mgPerMl(), p.diluents(), knowledge.identities()).isPresent()).toList();
        boolean strengthLabeledSomewhere = !strengthLabeled.isEmpty();
        boolean pumpLabeledSomewhere = p.pump() != null && strengthLabeled.stream()
                .anyMatch(l -> l.uses().stream().anyMatch(u -> u.pump().equals(p.pump().id())));
        if (strengthLabeledSomewhere && p.pump() == null) {
            return new LabelCheck(null, false, true, sameIngredient, whyNot);
        }
        Optional<LabeledProduct> dilutable = products.stream().filter(l -> l.dilution() != null && !p.diluents().isEmpty()
                && active.mgPerMl() != null && l.concentrations().stream().anyMatch(c -> c.mgPerMl().orElseThrow() > active.mgPerMl()))
                .findFirst();
        if (!strengthLabeledSomewhere && dilutable.isPresent()) {
            SubstanceIdentities identities = knowledge.identities();
            whyNot.put("diluentNotLabeled", true);
            whyNot.put("product", dilutable.get().product());
            whyNot.put("orderDiluent", String.join(", ", p.diluents()));
            whyNot.put("allowedDiluent", dilutable.get().dilution().diluents().stream()
                    .map(id -> identities.diluentById(id).orElseThrow().names().get(0)).collect(Collectors.joining(" or ")));
            whyNot.put("benzylAlcohol", p.diluents().stream().anyMatch(d -> identities.diluent(d)
                    .map(SubstanceIdentities.DiluentIdentity::benzylAlcohol).orElse(false)));
            return new LabelCheck(null, false, false, dilutable.get(), whyNot);
        }
        if (!strengthLabeledSomewhere) {
            whyNot.put("strengthNotLabeled", true);
            whyNot.put("orderedStrength", Amounts.concentration(active.mgPerMl()));
            whyNot.put("labeledStrengths", products.stream().map(l -> l.product() + ": " + l.concentrations().stream()
                    .map(Concentration::toString).collect(Collectors.joining(", "))).collect(Collectors.joining("; ")));
        } else if (!pumpLabeledSomewhere) {
            whyNot.put("pumpNotLabeled", true);
            whyNot.put("pump", p.pump().displayName());
        } else {
            whyNot.put("routeNotLabeled", true);
        }
        return new LabelCheck(null, false, false, sameIngredient, whyNot);
    }

    private Optional<Finding> refillLimit(PumpPreparation p, LabelCheck label) {
        String when = p.firstFill() ? "first-fill" : label.diluted() ? "diluted" : "undiluted";
        Optional<RefillLimit> limit = knowledge.refillLimits(label.product().id()).stream()
                .filter(l -> l.when().equals(when)).findFirst();
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        Policy labeling = policies.label();
        Map<String, Object> facts = new HashMap<>();
        facts.put("label", p.label());
        facts.put("product", label.product().product());
        facts.put("maxDays", limit.get().maxDays());
        facts.put("plannedDays", Amounts.days(p.plannedDays()));
        facts.put("firstFill", when.equals("first-fill"));
        facts.put("diluted", when.equals("diluted"));
        facts.put("undiluted", when.equals("undiluted"));
        Evidence limitEvidence = new Evidence("knowledge/stability/refill-limits.yaml#" + limit.get().id(),
                "labeled maximum " + limit.get().maxDays() + " days (" + when + ")", null);
        if (p.plannedDays() == null) {
            return element(labeling, "labeled-refill-interval", NOT_DOCUMENTED, p.orderReference(),
                    List.of(limitEvidence), facts, List.of());
        }
        boolean exceeds = p.plannedDays() > limit.get().maxDays();
        return element(labeling, "labeled-refill-interval", exceeds ? UNMET : MET, p.orderReference(),
                List.of(limitEvidence, new Evidence(p.orderReference(), "planned " + Amounts.days(p.plannedDays()), null)), facts,
                exceeds ? List.of(new ProposedAction("shorten-interval", "update", withSupplyDays(p.request(), limit.get().maxDays())))
                        : List.of());
    }

    /** The label's safety-communication note, for a preparation by one of its routes. */
    private Optional<Finding> safetyCommunication(PumpPreparation p, Map<String, Object> base) {
        Policy labeling = policies.label();
        return labeling.criterionOfKind("safety-communication")
                .filter(c -> p.routeCode() != null && valueSets.contains(ValueSets.of((String) c.check().get("routes")),
                        CodeSystems.SNOMED, p.routeCode()))
                .flatMap(c -> element(labeling, c.kind(), INFORMATION, p.orderReference(), List.of(), base, List.of()));
    }

    /** Adds the finding of the policy's criterion of this kind; a policy without one does not check that element. */
    private static void add(List<Finding> to, Policy policy, String kind, Finding.Status status, String order,
            List<Evidence> evidence, Map<String, Object> facts, List<ProposedAction> actions) {
        element(policy, kind, status, order, evidence, facts, actions).ifPresent(to::add);
    }

    private static Optional<Finding> element(Policy policy, String kind, Finding.Status status, String order,
            List<Evidence> evidence, Map<String, Object> facts, List<ProposedAction> actions) {
        for (String fact : facts.keySet()) {
            if (!BASE_FACTS.contains(fact) && !FACTS.get(kind).contains(fact)) {
                throw new IllegalStateException(kind + " gave a fact it does not declare: " + fact);
            }
        }
        // every declared fact is given (empty when it does not apply), so no template can miss one at call time
        Map<String, Object> all = new HashMap<>();
        BASE_FACTS.forEach(fact -> all.put(fact, ""));
        FACTS.get(kind).forEach(fact -> all.put(fact, ""));
        all.putAll(facts);
        return policy.criterionOfKind(kind).map(c -> Criteria.finding(policy, c.id(), status, order, evidence, all, actions));
    }

    private boolean sameIngredients(List<PreparedIngredient> actives, List<Ingredient> tested) {
        return actives.size() == tested.size() && actives.stream().allMatch(a -> tested.stream().anyMatch(i -> same(a, i)));
    }

    private boolean concentrationsCovered(List<PreparedIngredient> actives, StabilityRecord study) {
        if (!study.confirms("concentrations")) {
            return false;
        }
        for (PreparedIngredient active : actives) {
            Ingredient tested = study.ingredients().stream().filter(i -> same(active, i)).findFirst().orElseThrow();
            if (active.mgPerMl() == null || tested.concentration() == null || !tested.concentration().contains(active.mgPerMl())) {
                return false;
            }
        }
        // inside every range, and a pairing the study tested
        return orderedByTestedName(actives, study).map(study::testedTogether).orElse(false);
    }

    /**
     * The ordered strengths (mg/mL) by the study's name for each ingredient it tested; empty when one of those
     * ingredients has no strength on the order.
     */
    private Optional<Map<String, Double>> orderedByTestedName(List<PreparedIngredient> actives, StabilityRecord study) {
        Map<String, Double> ordered = new HashMap<>();
        for (PreparedIngredient active : actives) {
            Optional<Ingredient> tested = study.ingredients().stream().filter(i -> same(active, i)).findFirst();
            if (tested.isPresent() && active.mgPerMl() == null) {
                return Optional.empty();
            }
            tested.ifPresent(i -> ordered.put(i.name(), active.mgPerMl()));
        }
        return Optional.of(ordered);
    }

    /**
     * Whether an ordered diluent is what a study tested: the same vehicle, and never a preservative the study did not
     * name (a study of saline whose preservative is not stated covers preservative-free saline, not bacteriostatic).
     */
    private boolean sameDiluent(String ordered, String tested) {
        Optional<SubstanceIdentities.DiluentIdentity> order = knowledge.identities().diluent(ordered);
        Optional<SubstanceIdentities.DiluentIdentity> study = knowledge.identities().diluent(tested);
        if (order.isEmpty() || study.isEmpty() || !order.get().base().equals(study.get().base())) {
            return false;
        }
        return order.get().preservative().equals(study.get().preservative())
                || study.get().preservative().equals("not-stated") && !order.get().benzylAlcohol();
    }

    /** Same ingredient: both resolve to one identity of substances.yaml (never by a part of a name). */
    private boolean same(PreparedIngredient active, Ingredient known) {
        return active.identified() && knowledge.identities().same(active.rxcui(), active.name(), known);
    }

    private static Evidence evidence(Candidate c) {
        StabilityRecord r = c.record;
        return new Evidence(c.reference, (c.attached ? "pharmacy record" : "published") + ": "
                + r.ingredients().stream().map(Ingredient::name).collect(Collectors.joining(" + ")) + ", "
                + Amounts.number(r.temperatureC()) + " °C, " + Amounts.days(r.durationDays())
                + (r.citation() == null ? "" : "; " + r.citation()), r.url());
    }

    private static String ingredientList(PumpPreparation p) {
        return p.actives().stream().map(a -> a.name() + " " + Amounts.concentration(a.mgPerMl()))
                .collect(Collectors.joining(" + "));
    }

    private static MedicationRequest withSupplyDays(MedicationRequest request, double days) {
        MedicationRequest updated = request.copy();
        Duration duration = new Duration();
        duration.setValue(BigDecimal.valueOf(Math.floor(days)));
        duration.setUnit("days");
        duration.setSystem("http://unitsofmeasure.org");
        duration.setCode("d");
        updated.getDispenseRequest().setExpectedSupplyDuration(duration);
        return updated;
    }

    /** The order with every inactive ingredient (the diluent) of its contained Medication replaced by the labeled one. */
    private static MedicationRequest withDiluent(MedicationRequest request, String diluent) {
        MedicationRequest updated = request.copy();
        for (Resource contained : updated.getContained()) {
            if (contained instanceof Medication medication) {
                medication.getIngredient().stream().filter(i -> i.hasIsActive() && !i.getIsActive())
                        .forEach(i -> i.setItem(new CodeableConcept().setText(diluent)));
            }
        }
        return updated;
    }
}
