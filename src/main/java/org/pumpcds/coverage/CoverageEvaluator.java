package org.pumpcds.coverage;

import static org.pumpcds.findings.Finding.Status.INFORMATION;
import static org.pumpcds.findings.Finding.Status.MET;
import static org.pumpcds.findings.Finding.Status.NOT_DOCUMENTED;
import static org.pumpcds.findings.Finding.Status.UNMET;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.pumpcds.compounding.PumpPreparation;
import org.pumpcds.coverage.PatientFacts.MedicationUse;
import org.pumpcds.findings.Criteria;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.ProposedAction;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.vitals.BodyTemperatures;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/**
 * Evaluates one pump episode (the pump procedure/device orders of a call and the drug the pump is for) against the
 * payer policy chosen for the patient, plus the label rules that bear on the pump decision. Pure; stateless.
 */
public final class CoverageEvaluator {

    /** Trial Procedure code and its route extension (fhir-profiles/README.md). */
    static final String TRIAL_ROUTE = CodeSystems.PROJECT_BASE + "/StructureDefinition/trial-route";
    private static final String LABELING = "pump-drug-labeling";

    /**
     * @param primary        the pump order the card attaches to (first pump procedure/device order in scope)
     * @param pumpOrders     every pump procedure/device order of the call
     * @param drug           the drug the pump is for
     * @param preparation    that drug read as a preparation (ingredients, strengths), or null
     * @param replacement    a replacement (replacement code, or a new pump for a patient who has one)
     */
    public record Episode(PumpOrder primary, List<PumpOrder> pumpOrders, TherapyDrug drug, PumpPreparation preparation,
            boolean replacement) {
    }

    private final PolicyKnowledge policies;
    private final StabilityKnowledge knowledge;
    private final ValueSetIndex valueSets;
    private final CoverageSettings settings;

    public CoverageEvaluator(PolicyKnowledge policies, StabilityKnowledge knowledge, ValueSetIndex valueSets,
            CoverageSettings settings) {
        this.policies = policies;
        this.knowledge = knowledge;
        this.valueSets = valueSets;
        this.settings = settings;
    }

    public List<Finding> evaluate(String policyId, Episode episode, PatientRecord record) {
        Context c = new Context(policies.policy(policyId), episode, new PatientFacts(record, valueSets, knowledge.identities()));
        switch (policyId) {
            case "cg-surg-79" -> cgSurg79(c);
            case "bcbsaz" -> bcbsaz(c);
            case "cms" -> cms(c);
            default -> throw new IllegalStateException("No evaluation for policy " + policyId);
        }
        labelRules(c);
        return c.findings;
    }

    /**
     * The drug labels' contraindications alone, for a pump drug order with no pump procedure or device ordered (a
     * refill, or a new drug in a pump already implanted): they hold whatever else is ordered.
     */
    public List<Finding> labelContraindications(Episode episode, PatientRecord record) {
        Context c = new Context(policies.policy(LABELING), episode, new PatientFacts(record, valueSets, knowledge.identities()));
        labelRules(c);
        return c.findings;
    }

    /** What one evaluation reads and writes. */
    private final class Context {
        final Policy policy;
        final Episode episode;
        final PatientFacts facts;
        final List<Finding> findings = new ArrayList<>();
        final Map<String, Object> base = new HashMap<>();

        Context(Policy policy, Episode episode, PatientFacts facts) {
            this.policy = policy;
            this.episode = episode;
            this.facts = facts;
            base.put("drug", episode.drug().name() == null ? "no drug documented" : episode.drug().name());
        }

        void add(String criterion, Finding.Status status, List<Evidence> evidence, Map<String, Object> extra) {
            add(policy, criterion, status, evidence, extra);
        }

        void add(Policy from, String criterion, Finding.Status status, List<Evidence> evidence, Map<String, Object> extra) {
            add(from, criterion, status, evidence, extra, List.of());
        }

        void add(Policy from, String criterion, Finding.Status status, List<Evidence> evidence, Map<String, Object> extra,
                List<ProposedAction> actions) {
            Map<String, Object> all = new HashMap<>(base);
            all.putAll(extra);
            findings.add(Criteria.finding(from, from.id() + "." + criterion, status, episode.primary().reference(),
                    evidence, all, actions));
        }

        void add(String criterion, Finding.Status status, List<Evidence> evidence) {
            add(criterion, status, evidence, Map.of());
        }
    }

    // ---- CG-SURG-79 ----

    private void cgSurg79(Context c) {
        if (c.episode.replacement()) {
            replacement(c);
            return;
        }
        Therapy therapy = c.episode.drug().therapy();
        switch (therapy) {
            case UNKNOWN -> c.add("therapy", NOT_DOCUMENTED, List.of(new Evidence(null, "no pump drug on the orders or active on record")));
            case INSULIN -> c.add("insulin", UNMET, List.of(drugEvidence(c)));
            case HEPARIN -> {
                List<Condition> arterial = c.facts.active("arterial-thromboembolism");
                List<Condition> venous = c.facts.active("venous-thromboembolism");
                if (!arterial.isEmpty()) {
                    c.add("not-medically-necessary", UNMET, with(drugEvidence(c), conditions(arterial)));
                } else if (!venous.isEmpty()) {
                    c.add("heparin-venous", UNMET, with(drugEvidence(c), conditions(venous)));
                } else {
                    c.add("other-uses", UNMET, List.of(drugEvidence(c)));
                }
            }
            case ANTIBIOTIC -> {
                List<Condition> osteomyelitis = c.facts.active("osteomyelitis");
                c.add(osteomyelitis.isEmpty() ? "other-uses" : "not-medically-necessary", UNMET,
                        with(drugEvidence(c), conditions(osteomyelitis)));
            }
            case HEPATIC_ARTERIAL_CHEMOTHERAPY -> {
                if (!liverChemotherapy(c, "indication-a", "indication-b.diagnosis", "indication-b.liver-limited")) {
                    c.add("other-uses", UNMET, with(drugEvidence(c), conditions(c.facts.active("head-neck-cancer"))));
                }
            }
            case INTRAPERITONEAL_CHEMOTHERAPY, OTHER -> c.add("other-uses", UNMET, List.of(drugEvidence(c)));
            case INTRATHECAL_BACLOFEN -> {
                spasticity(c, "indication-c.origin", "indication-c.oral-baclofen");
                nassSpasticity(c);
            }
            case NEURAXIAL_ANALGESIA -> {
                pain(c, "indication-e.diagnosis", "indication-e.trial");
                if (c.facts.active("cancer").isEmpty()) {
                    List<Condition> substanceUse = c.facts.active("substance-use-disorder");
                    c.add("nass-pain", INFORMATION, conditions(substanceUse), Map.of("substanceUse", !substanceUse.isEmpty()));
                }
            }
            case TREPROSTINIL -> pah(c);
        }
        if (therapy != Therapy.INSULIN && therapy != Therapy.HEPARIN && therapy != Therapy.ANTIBIOTIC) {
            lifeExpectancy(c);
        }
    }

    private void replacement(Context c) {
        List<Condition> malfunction = c.facts.active("pump-malfunction");
        List<Observation> eri = c.facts.observations(CodeSystems.PUMP_CDS, "pump-eri-alarm");
        List<Evidence> evidence = new ArrayList<>(conditions(malfunction));
        eri.forEach(o -> evidence.add(new Evidence(PatientFacts.reference(o), "elective replacement indicator alarm"
                + PatientFacts.effective(o).map(d -> " on " + day(d)).orElse(""))));
        if (evidence.isEmpty()) {
            evidence.add(new Evidence(null, "no malfunction diagnosis or elective replacement indicator alarm on record"));
        }
        c.add("replacement", malfunction.isEmpty() && eri.isEmpty() ? UNMET : MET, evidence);
        if (!eri.isEmpty()) {
            Observation latest = eri.stream().max(Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0)))).orElseThrow();
            c.add("eri-scheduling", INFORMATION, List.of(new Evidence(PatientFacts.reference(latest), "alarm")),
                    Map.of("alarmDate", PatientFacts.effective(latest).map(CoverageEvaluator::day).orElse("an unrecorded date")));
        }
    }

    // ---- BCBSAZ ----

    /** BCBSAZ rules these uses experimental/investigational: the card names the use (the diagnosis), not the drug. */
    private static Map<String, Object> experimental(String use) {
        return Map.of("ruling", "Experimental/investigational", "use", use);
    }

    private void bcbsaz(Context c) {
        Therapy therapy = c.episode.drug().therapy();
        if (therapy == Therapy.UNKNOWN) {
            c.add("therapy", NOT_DOCUMENTED, List.of(new Evidence(null, "no pump drug on the orders or active on record")));
        } else {
            fdaRoute(c);
        }
        switch (therapy) {
            case UNKNOWN -> { }
            case INSULIN -> c.add("experimental", UNMET, with(drugEvidence(c), conditions(c.facts.active("diabetes"))),
                    experimental("insulin for diabetes"));
            case HEPARIN -> {
                List<Condition> thrombo = c.facts.active("arterial-thromboembolism");
                thrombo = thrombo.isEmpty() ? c.facts.active("venous-thromboembolism") : thrombo;
                c.add(thrombo.isEmpty() ? "not-listed" : "experimental", UNMET, with(drugEvidence(c), conditions(thrombo)),
                        experimental("heparin for thromboembolic disease"));
            }
            case ANTIBIOTIC -> {
                List<Condition> osteomyelitis = c.facts.active("osteomyelitis");
                c.add(osteomyelitis.isEmpty() ? "not-listed" : "experimental", UNMET, with(drugEvidence(c), conditions(osteomyelitis)),
                        experimental("antibiotics for osteomyelitis"));
            }
            case HEPATIC_ARTERIAL_CHEMOTHERAPY -> {
                List<Condition> gastric = c.facts.active("gastric-cancer");
                List<Condition> headNeck = c.facts.active("head-neck-cancer");
                if (!gastric.isEmpty()) {
                    c.add("experimental", UNMET, with(drugEvidence(c), conditions(gastric)), experimental("gastric cancer"));
                } else if (!headNeck.isEmpty()) {
                    c.add("indication-3", MET, conditions(headNeck));
                } else if (!liverChemotherapy(c, "indication-1", "indication-2.diagnosis", "indication-2.liver-limited")) {
                    c.add("not-listed", UNMET, List.of(drugEvidence(c)));
                }
            }
            case INTRAPERITONEAL_CHEMOTHERAPY -> {
                List<Condition> ovary = c.facts.active("ovarian-cancer");
                if (ovary.isEmpty()) {
                    c.add("not-listed", UNMET, List.of(drugEvidence(c)));
                } else {
                    c.add("indication-6.diagnosis", MET, conditions(ovary));
                    List<Observation> histology = c.facts.observations(CodeSystems.PUMP_CDS, "epithelial-histology");
                    Optional<Observation> epithelial = histology.stream().filter(o -> o.hasValueBooleanType() && o.getValueBooleanType().booleanValue()).findFirst();
                    boolean notEpithelial = histology.stream().anyMatch(o -> o.hasValueBooleanType() && !o.getValueBooleanType().booleanValue());
                    c.add("indication-6.histology", epithelial.isPresent() ? MET : notEpithelial ? UNMET : NOT_DOCUMENTED,
                            epithelial.map(o -> List.of(new Evidence(PatientFacts.reference(o), "epithelial histology recorded")))
                                    .orElse(List.of(new Evidence(null, "no epithelial histology recorded"))));
                }
            }
            case INTRATHECAL_BACLOFEN -> spasticity(c, "indication-5.origin", "indication-5.oral-baclofen");
            case NEURAXIAL_ANALGESIA -> {
                if (c.facts.matches("drug-opioid", concept(c.episode.drug().codings()))) {
                    pain(c, "indication-4.diagnosis", "indication-4.trial");
                } else {
                    c.add("not-listed", UNMET, List.of(drugEvidence(c)));
                }
            }
            case TREPROSTINIL, OTHER -> c.add("not-listed", UNMET, List.of(drugEvidence(c)));
        }
        c.add("benefit-plan", INFORMATION, List.of());
    }

    /** BCBSAZ: each drug FDA-labeled for the route (strength, or a labeled dilution); mixtures are not. */
    private void fdaRoute(Context c) {
        PumpPreparation preparation = c.episode.preparation();
        String route = c.episode.drug().routeCode();
        if (preparation == null || preparation.actives().isEmpty()) {
            c.add("fda-route", NOT_DOCUMENTED, List.of(new Evidence(c.episode.drug().reference(), "ingredients and strengths not on record")));
            return;
        }
        if (preparation.actives().size() > 1) {
            c.add("fda-route", UNMET, List.of(new Evidence(c.episode.drug().reference(), preparation.actives().size()
                    + " active ingredients: no mixture is FDA-labeled for pump delivery")), Map.of("admixture", true));
            return;
        }
        PumpPreparation.PreparedIngredient active = preparation.actives().get(0);
        if (!active.identified()) {
            c.add("fda-route", NOT_DOCUMENTED, List.of(new Evidence(c.episode.drug().reference(), active.name()
                    + ": ingredient not identified (no known RxNorm code or exact name)")));
            return;
        }
        if (active.mgPerMl() == null) {
            c.add("fda-route", NOT_DOCUMENTED, List.of(new Evidence(c.episode.drug().reference(), active.name() + ": strength not stated")));
            return;
        }
        Optional<String> labeled = knowledge.labeledForRoute(active.rxcui(), active.name(), active.mgPerMl(),
                preparation.diluents(), route);
        c.add("fda-route", labeled.isPresent() ? MET : UNMET, List.of(new Evidence(
                labeled.map(id -> "knowledge/stability/labeled-products.yaml#" + id).orElse(c.episode.drug().reference()),
                labeled.map(id -> active.name() + " labeled for this route").orElse(knowledge.labeledProducts().stream()
                        .anyMatch(l -> knowledge.identities().same(active.rxcui(), active.name(), l.ingredient()))
                        ? active.name() + " at this strength, diluent or route is not FDA-labeled for an implanted pump"
                        : "no FDA-labeled implanted-pump product contains " + active.name()))));
    }

    // ---- CMS ----

    private void cms(Context c) {
        c.add("ncd", INFORMATION, List.of());
        Therapy therapy = c.episode.drug().therapy();
        List<Condition> cancer = c.facts.active("cancer");
        if (therapy == Therapy.NEURAXIAL_ANALGESIA && !cancer.isEmpty()) {
            c.add("malignant-pain", INFORMATION, conditions(cancer));
        }
        if (c.facts.matches("drug-ziconotide", concept(c.episode.drug().codings()))) {
            List<Evidence> refractory = new ArrayList<>();
            c.facts.medications("drug-opioid").stream().filter(PatientFacts::endedWithReason)
                    .forEach(u -> refractory.add(new Evidence(u.reference(), "opioid " + u.status() + " with a reason recorded")));
            PatientFacts.Reactions opioid = c.facts.reactions("drug-opioid", Set.of());
            opioid.intolerances().forEach(a -> refractory.add(new Evidence(PatientFacts.reference(a), "opioid intolerance recorded")));
            opioid.allergies().forEach(a -> refractory.add(new Evidence(PatientFacts.reference(a), "opioid allergy recorded")));
            c.add("ziconotide", refractory.isEmpty() ? NOT_DOCUMENTED : MET, refractory.isEmpty()
                    ? List.of(new Evidence(null, "no stopped systemic opioid or intrathecal morphine with a reason, and no opioid intolerance")) : refractory);
        }
        Set<String> rxcuis = c.episode.drug().codings().stream()
                .filter(x -> x.hasCode() && CodeSystems.RXNORM.equals(CodeSystems.canonical(x.getSystem())))
                .map(Coding::getCode).collect(Collectors.toSet());
        if (!rxcuis.isEmpty()) {
            allergy(c, c.facts.reactions(null, rxcuis));
        }
        List<Condition> infection = c.facts.active("infection");
        c.add("infection", infection.isEmpty() ? NOT_DOCUMENTED : UNMET, infection.isEmpty()
                ? List.of(new Evidence(null, "no active infection diagnosis recorded")) : conditions(infection));
        List<Evidence> signs = new ArrayList<>(conditions(c.facts.active("fever")));
        BodyTemperatures.highest(c.facts.record(), orderedAt(c.episode.primary()), settings.temperatureLookback())
                .filter(t -> t.celsius() >= settings.feverThresholdC())
                .ifPresent(t -> signs.add(new Evidence(t.reference(), "fever " + number(t.celsius()) + " °C (at or above "
                        + number(settings.feverThresholdC()) + " °C) in the last " + settings.temperatureLookback().toDays() + " days")));
        c.facts.medications("drug-antibacterial").stream().filter(u -> "active".equals(u.status()))
                .filter(u -> !u.reference().equals(c.episode.drug().reference()))
                .forEach(u -> signs.add(new Evidence(u.reference(), "active systemic antibacterial")));
        if (infection.isEmpty()) {
            c.add("infection-signs", !signs.isEmpty() ? UNMET
                    : c.facts.complete("conditions", "medicationRequests", "medicationStatements") ? MET : NOT_DOCUMENTED, signs.isEmpty()
                    ? List.of(new Evidence(null, "no fever (diagnosis or temperature) or active systemic antibacterial")) : signs);
        }
        if (!c.episode.replacement()) {
            // no source gives a size threshold, so the card shows what the clinician needs to judge: weight and age
            List<Evidence> size = new ArrayList<>();
            List<Observation> weights = c.facts.observations(CodeSystems.LOINC, "29463-7");
            size.add(weights.isEmpty() ? new Evidence(null, "no weight recorded")
                    : new Evidence(PatientFacts.reference(weights.get(0)), "weight " + quantity(weights.get(0))));
            c.facts.record().all(Patient.class).stream().filter(p -> p.hasBirthDate()).findFirst()
                    .ifPresent(p -> size.add(new Evidence("Patient/" + p.getIdElement().getIdPart(), "age "
                            + Period.between(p.getBirthDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate(),
                                    orderedAt(c.episode.primary()).atZone(ZoneOffset.UTC).toLocalDate()).getYears() + " years")));
            c.add("body-size", NOT_DOCUMENTED, size);
        }
        List<Evidence> implants = new ArrayList<>();
        c.facts.activeDevices("programmable-implant").forEach(d -> implants.add(new Evidence(PatientFacts.reference(d), display(d.getType().getCodingFirstRep()))));
        implants.addAll(conditions(c.facts.active("programmable-implant")));
        c.add("crosstalk", !implants.isEmpty() ? UNMET : c.facts.complete("devices", "conditions") ? MET : NOT_DOCUMENTED,
                implants.isEmpty()
                ? List.of(new Evidence(null, "no other programmable implant recorded")) : implants);
    }

    // ---- label rules, whatever the payer ----

    private void labelRules(Context c) {
        Policy labeling = policies.policy(LABELING);
        if (c.facts.matches("drug-ziconotide", concept(c.episode.drug().codings()))) {
            List<Condition> psychosis = c.facts.ever("psychosis");
            c.add(labeling, "ziconotide-psychosis", psychosis.isEmpty() ? NOT_DOCUMENTED : UNMET,
                    psychosis.isEmpty() ? List.of(new Evidence(null, "no psychotic disorder on the problem list")) : conditions(psychosis), Map.of());
        }
        if (c.episode.drug().therapy() == Therapy.INTRATHECAL_BACLOFEN && !c.episode.replacement()) {
            List<Condition> infection = c.facts.active("infection");
            c.add(labeling, "itb-infection", infection.isEmpty() ? NOT_DOCUMENTED : UNMET,
                    infection.isEmpty() ? List.of(new Evidence(null, "no active infection diagnosis recorded")) : conditions(infection), Map.of());
        }
    }

    // ---- shared criteria ----

    /** Indications for intra-arterial liver chemotherapy; false when neither liver indication applies at all. */
    private boolean liverChemotherapy(Context c, String primary, String crcDiagnosis, String liverLimited) {
        List<Condition> liver = c.facts.active("liver-cancer-primary");
        if (!liver.isEmpty()) {
            c.add(primary, MET, conditions(liver));
            return true;
        }
        List<Condition> unspecified = c.facts.active("liver-cancer-unspecified");
        if (!unspecified.isEmpty()) {
            c.add(primary, NOT_DOCUMENTED, conditions(unspecified), Map.of("clarify", true));
            return true;
        }
        List<Condition> crc = c.facts.active("colorectal-cancer-primary");
        List<Condition> mets = c.facts.active("liver-metastases");
        if (crc.isEmpty() && mets.isEmpty()) {
            return false;
        }
        boolean both = !crc.isEmpty() && !mets.isEmpty();
        c.add(crcDiagnosis, both ? MET : UNMET, with(conditions(crc), conditions(mets)),
                Map.of("missing", crc.isEmpty() ? "primary colorectal cancer" : mets.isEmpty() ? "liver metastases (C78.7)" : ""));
        List<Condition> extrahepatic = c.facts.active("extrahepatic-metastases");
        if (!extrahepatic.isEmpty()) {
            c.add(liverLimited, UNMET, conditions(extrahepatic));
        } else {
            Optional<Observation> none = c.facts.observations(CodeSystems.PUMP_CDS, "extrahepatic-disease").stream()
                    .filter(o -> o.hasValueBooleanType() && !o.getValueBooleanType().booleanValue()).findFirst();
            c.add(liverLimited, none.isPresent() ? MET : NOT_DOCUMENTED, none
                    .map(o -> List.of(new Evidence(PatientFacts.reference(o), "no extrahepatic disease documented")))
                    .orElse(List.of(new Evidence(null, "absence of extrahepatic disease not documented"))));
        }
        return true;
    }

    /**
     * CMS: a known allergy or hypersensitivity to the drug contraindicates the implant. Only an allergy blocks; an
     * unconfirmed one is a question to settle; an intolerance (often the very reason for intrathecal delivery) is
     * reported as what it is.
     */
    private void allergy(Context c, PatientFacts.Reactions reactions) {
        Object drug = c.base.get("drug");
        if (!reactions.allergies().isEmpty()) {
            c.add("allergy", UNMET, reactions.allergies().stream().map(a -> new Evidence(PatientFacts.reference(a),
                    reactionWords(a, a.hasType() ? "allergy" : "allergy or intolerance (type not recorded)"))).toList());
        } else if (!reactions.unconfirmed().isEmpty()) {
            c.add("allergy", NOT_DOCUMENTED, reactions.unconfirmed().stream().map(a -> new Evidence(PatientFacts.reference(a),
                    reactionWords(a, a.hasCategory() && a.getCategory().stream().noneMatch(k -> k.getValue()
                            == AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION)
                            ? "entry filed under " + a.getCategory().get(0).getValue().toCode() + " (review)" : "unconfirmed allergy"))).toList());
        } else {
            List<Evidence> none = new ArrayList<>();
            none.add(new Evidence(null, reactions.notCounted().isEmpty() ? "no recorded allergy to " + drug
                    : "no current allergy to " + drug));
            reactions.notCounted().forEach(a -> none.add(new Evidence(PatientFacts.reference(a), reactionWords(a, "not counted ("
                    + (a.getVerificationStatus().hasCoding() && !a.getVerificationStatus().getCodingFirstRep().getCode().equals("confirmed")
                            ? a.getVerificationStatus().getCodingFirstRep().getCode() : a.getClinicalStatus().getCodingFirstRep().getCode())
                    + ") entry"))));
            c.add("allergy", c.facts.complete("allergies") ? MET : NOT_DOCUMENTED, none);
        }
        if (!reactions.intolerances().isEmpty()) {
            c.add("intolerance", INFORMATION, reactions.intolerances().stream().map(a -> new Evidence(PatientFacts.reference(a),
                    reactionWords(a, "intolerance (not an allergy)"))).toList());
        }
    }

    /** When the pump order was written (authoredOn), else now: "recent" is counted back from it. */
    private static Instant orderedAt(PumpOrder order) {
        Date authored = order.resource() instanceof ServiceRequest request ? request.getAuthoredOn()
                : order.resource() instanceof DeviceRequest request ? request.getAuthoredOn() : null;
        return authored == null ? Instant.now() : authored.toInstant();
    }

    private static String reactionWords(AllergyIntolerance entry, String kind) {
        String manifestation = entry.getReaction().stream().flatMap(r -> r.getManifestation().stream())
                .map(m -> m.hasText() ? m.getText() : display(m.getCodingFirstRep())).filter(t -> !t.isBlank()).findFirst().orElse(null);
        return kind + " to " + display(entry.getCode().getCodingFirstRep())
                + (entry.hasCriticality() ? ", criticality " + entry.getCriticality().toCode() : "")
                + (manifestation == null ? "" : ", reaction: " + manifestation);
    }

    private void spasticity(Context c, String origin, String oralBaclofen) {
        List<Condition> conditions = c.facts.active("spasticity-origin");
        c.add(origin, conditions.isEmpty() ? UNMET : MET, conditions.isEmpty()
                ? List.of(new Evidence(null, "no diagnosis of cerebral or spinal cord origin")) : conditions(conditions));
        List<Evidence> failure = new ArrayList<>();
        List<MedicationUse> oral = c.facts.medications("drug-baclofen").stream()
                .filter(u -> u.routeCode() == null ? u.code().getCoding().stream().anyMatch(x -> "197391".equals(x.getCode()))
                        : valueSets.contains(ValueSets.of("route-oral"), CodeSystems.SNOMED, u.routeCode()))
                .toList();
        oral.stream().filter(PatientFacts::endedWithReason)
                .forEach(u -> failure.add(new Evidence(u.reference(), "oral baclofen " + u.status() + " with a reason recorded")));
        PatientFacts.Reactions baclofen = c.facts.reactions("drug-baclofen", Set.of());
        baclofen.intolerances().forEach(a -> failure.add(new Evidence(PatientFacts.reference(a), "baclofen intolerance recorded")));
        baclofen.allergies().forEach(a -> failure.add(new Evidence(PatientFacts.reference(a), "baclofen allergy recorded")));
        if (failure.isEmpty()) {
            List<Evidence> seen = oral.stream().map(u -> new Evidence(u.reference(), "oral baclofen " + u.status() + ", no reason recorded")).toList();
            c.add(oralBaclofen, NOT_DOCUMENTED, seen.isEmpty() ? List.of(new Evidence(null, "no oral baclofen history")) : seen);
        } else {
            c.add(oralBaclofen, MET, failure);
        }
    }

    private void nassSpasticity(Context c) {
        List<Observation> ashworth = c.facts.observations(CodeSystems.PUMP_CDS, "modified-ashworth");
        List<Observation> spasms = c.facts.observations(CodeSystems.PUMP_CDS, "spasm-frequency");
        if (ashworth.isEmpty() && spasms.isEmpty()) {
            return;
        }
        List<Evidence> evidence = new ArrayList<>();
        ashworth.forEach(o -> evidence.add(new Evidence(PatientFacts.reference(o), "Ashworth " + quantity(o))));
        spasms.forEach(o -> evidence.add(new Evidence(PatientFacts.reference(o), "spasm frequency " + quantity(o))));
        c.add("nass-spasticity", INFORMATION, evidence);
    }

    private void pain(Context c, String diagnosis, String trialCriterion) {
        List<Condition> pain = c.facts.active("chronic-pain");
        c.add(diagnosis, pain.isEmpty() ? NOT_DOCUMENTED : MET, pain.isEmpty()
                ? List.of(new Evidence(null, "no chronic intractable pain diagnosis")) : conditions(pain));
        trial(c, trialCriterion);
    }

    /** A trial by the same route with strictly more than 50% pain reduction (policies use "> 50%"). */
    private void trial(Context c, String criterion) {
        Map<String, Object> facts = new HashMap<>();
        String planned = c.episode.drug().routeCode();
        facts.put("plannedRoute", routeName(planned));
        Optional<Procedure> trial = c.facts.procedures(CodeSystems.PUMP_CDS, "pump-trial").stream()
                .max(Comparator.comparing(p -> start(p).orElse(new Date(0))));
        if (trial.isEmpty()) {
            c.add(c.policy, criterion, NOT_DOCUMENTED, List.of(new Evidence(null, "no pump trial procedure on record")), facts,
                    List.of(new ProposedAction("order-trial", "create", trialOrder(c, planned))));
            return;
        }
        Procedure p = trial.get();
        String route = trialRoute(p);
        facts.put("trialRoute", route == null ? "not recorded" : routeName(route));
        List<Evidence> evidence = new ArrayList<>(List.of(new Evidence(PatientFacts.reference(p), "trial by " + facts.get("trialRoute"))));
        if (route == null) {
            c.add(criterion, NOT_DOCUMENTED, evidence, facts);
            return;
        }
        if (planned != null && !route.equals(planned)) {
            facts.put("otherRoute", true);
            c.add(criterion, UNMET, evidence, facts);
            return;
        }
        Double percent = recordedReduction(c, p, evidence);
        if (percent == null) {
            percent = scoreReduction(c, p, evidence, facts);
        }
        if (percent == null) {
            c.add(criterion, NOT_DOCUMENTED, evidence, facts);
            return;
        }
        facts.put("percent", number(percent));
        c.add(criterion, percent > 50 ? MET : UNMET, evidence, facts);
    }

    private Double recordedReduction(Context c, Procedure trial, List<Evidence> evidence) {
        for (Observation o : c.facts.observations(CodeSystems.PUMP_CDS, "trial-pain-reduction")) {
            boolean ofThisTrial = o.getPartOf().isEmpty() || o.getPartOf().stream()
                    .anyMatch(r -> trial.getIdElement().getIdPart().equals(r.getReferenceElement().getIdPart()));
            if (ofThisTrial && o.hasValueQuantity() && o.getValueQuantity().hasValue()) {
                double recorded = o.getValueQuantity().getValue().doubleValue();
                if (!Double.isFinite(recorded)) {
                    return null;
                }
                evidence.add(new Evidence(PatientFacts.reference(o), "recorded reduction " + quantity(o)));
                return recorded;
            }
        }
        return null;
    }

    /** Last score at or before the trial start, best score after it within the trial (period end, or the setting). */
    private Double scoreReduction(Context c, Procedure trial, List<Evidence> evidence, Map<String, Object> facts) {
        Optional<Date> start = start(trial);
        if (start.isEmpty()) {
            return null;
        }
        Date end = trial.hasPerformedPeriod() && trial.getPerformedPeriod().hasEnd() ? trial.getPerformedPeriod().getEnd()
                : new Date(start.get().getTime() + settings.trialWindow().toMillis());
        List<Observation> scores = c.facts.observations(CodeSystems.LOINC, "72514-3").stream()
                .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasValue() && PatientFacts.effective(o).isPresent()).toList();
        Optional<Observation> before = scores.stream().filter(o -> !PatientFacts.effective(o).get().after(start.get()))
                .max(Comparator.comparing(o -> PatientFacts.effective(o).get()));
        Optional<Observation> after = scores.stream().filter(o -> PatientFacts.effective(o).get().after(start.get())
                        && !PatientFacts.effective(o).get().after(end))
                .min(Comparator.comparing(o -> o.getValueQuantity().getValue()));
        if (before.isEmpty() || after.isEmpty()) {
            evidence.add(new Evidence(null, "pain scores (LOINC 72514-3) before and after the trial not both recorded"));
            return null;
        }
        double pre = before.get().getValueQuantity().getValue().doubleValue();
        double post = after.get().getValueQuantity().getValue().doubleValue();
        evidence.add(new Evidence(PatientFacts.reference(before.get()), "pain " + number(pre) + " before"));
        evidence.add(new Evidence(PatientFacts.reference(after.get()), "pain " + number(post) + " after"));
        facts.put("before", number(pre));
        facts.put("after", number(post));
        // an unusable pair (no baseline pain, a negative score, numbers past computing with) documents nothing
        double percent = (pre - post) / pre * 100;
        return pre <= 0 || post < 0 || !Double.isFinite(percent) ? null : percent;
    }

    private void pah(Context c) {
        List<Condition> pah = c.facts.active("pulmonary-arterial-hypertension");
        List<Condition> other = c.facts.active("pulmonary-hypertension-other");
        if (!pah.isEmpty()) {
            c.add("indication-d.diagnosis", MET, conditions(pah));
        } else {
            c.add("indication-d.diagnosis", UNMET, other.isEmpty() ? List.of(new Evidence(null, "no pulmonary arterial hypertension diagnosis"))
                    : conditions(other), Map.of("notGroup1", !other.isEmpty()));
        }
        List<Evidence> prior = c.facts.medications("drug-treprostinil").stream()
                .filter(u -> !u.reference().equals(c.episode.drug().reference()))
                .filter(u -> u.routeCode() != null && valueSets.contains(ValueSets.of("route-external-pump"), CodeSystems.SNOMED, u.routeCode()))
                .map(u -> new Evidence(u.reference(), "treprostinil by " + routeName(u.routeCode()) + " (" + u.status() + ")")).toList();
        c.add("indication-d.prior-treprostinil", prior.isEmpty() ? NOT_DOCUMENTED : MET,
                prior.isEmpty() ? List.of(new Evidence(null, "no intravenous or subcutaneous treprostinil history")) : prior);
    }

    /** Guidance, not a criterion: a recorded life expectancy of 3 months or less draws a warning; none recorded, nothing. */
    private void lifeExpectancy(Context c) {
        Optional<Observation> estimate = c.facts.observations(CodeSystems.PUMP_CDS, "life-expectancy").stream()
                .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasValue())
                .max(Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0))));
        if (estimate.isEmpty()) {
            return;
        }
        Double months = months(estimate.get());
        if (months == null) {
            return;
        }
        c.add("life-expectancy", months <= 3 ? UNMET : MET, List.of(new Evidence(PatientFacts.reference(estimate.get()),
                "estimated life expectancy " + quantity(estimate.get()))), Map.of("months", number(months)));
    }

    // ---- helpers ----

    /** A draft order for the missing trial, by the planned route, for the clinician to complete. */
    private ServiceRequest trialOrder(Context c, String route) {
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
        order.setIntent(ServiceRequest.ServiceRequestIntent.PROPOSAL);
        order.getCode().addCoding().setSystem(CodeSystems.PUMP_CDS).setCode("pump-trial").setDisplay("Implantable pump trial");
        order.getCode().setText("Pump trial by the " + routeName(route) + " route");
        if (route != null) {
            order.addExtension(TRIAL_ROUTE, new org.hl7.fhir.r4.model.CodeableConcept(new Coding(CodeSystems.SNOMED, route, null)));
        }
        if (c.episode.primary().resource() instanceof ServiceRequest request && request.hasSubject()) {
            order.setSubject(request.getSubject().copy());
        } else if (c.episode.primary().resource() instanceof org.hl7.fhir.r4.model.DeviceRequest request && request.hasSubject()) {
            order.setSubject(request.getSubject().copy());
        }
        return order;
    }

    private Evidence drugEvidence(Context c) {
        return new Evidence(c.episode.drug().reference(), c.episode.drug().name() + " by " + routeName(c.episode.drug().routeCode()));
    }

    private static List<Evidence> conditions(List<Condition> conditions) {
        return conditions.stream().map(x -> new Evidence(PatientFacts.reference(x), display(x.getCode().getCodingFirstRep()))).toList();
    }

    private static List<Evidence> with(Evidence first, List<Evidence> rest) {
        List<Evidence> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static List<Evidence> with(List<Evidence> first, List<Evidence> rest) {
        List<Evidence> all = new ArrayList<>(first);
        all.addAll(rest);
        return all;
    }

    private static org.hl7.fhir.r4.model.CodeableConcept concept(List<Coding> codings) {
        org.hl7.fhir.r4.model.CodeableConcept concept = new org.hl7.fhir.r4.model.CodeableConcept();
        codings.forEach(concept::addCoding);
        return concept;
    }

    private String routeName(String code) {
        if (code == null) {
            return "an unrecorded route";
        }
        return valueSets.display(ValueSets.PUMP_ROUTES, CodeSystems.SNOMED, code)
                .or(() -> valueSets.display(ValueSets.of("route-external-pump"), CodeSystems.SNOMED, code))
                .map(s -> s.replace(" route", "").toLowerCase(java.util.Locale.ROOT)).orElse("route " + code);
    }

    private static String trialRoute(Procedure trial) {
        for (Extension extension : trial.getExtensionsByUrl(TRIAL_ROUTE)) {
            if (extension.getValue() instanceof org.hl7.fhir.r4.model.CodeableConcept concept) {
                return concept.getCoding().stream().filter(x -> x.hasCode() && CodeSystems.SNOMED.equals(CodeSystems.canonical(x.getSystem())))
                        .map(Coding::getCode).findFirst().orElse(null);
            }
        }
        return null;
    }

    private static Optional<Date> start(Procedure procedure) {
        if (procedure.hasPerformedDateTimeType()) {
            return Optional.ofNullable(procedure.getPerformedDateTimeType().getValue());
        }
        if (procedure.hasPerformedPeriod()) {
            return Optional.ofNullable(procedure.getPerformedPeriod().getStart());
        }
        return Optional.empty();
    }

    private static Double months(Observation observation) {
        double value = observation.getValueQuantity().getValue().doubleValue();
        String unit = observation.getValueQuantity().hasCode() ? observation.getValueQuantity().getCode() : observation.getValueQuantity().getUnit();
        if (unit == null) {
            return null;
        }
        return switch (unit.toLowerCase(java.util.Locale.ROOT)) {
            case "mo", "month", "months" -> value;
            case "wk", "week", "weeks" -> value * 7 / 30.4375;
            case "d", "day", "days" -> value / 30.4375;
            case "a", "year", "years" -> value * 12;
            default -> null;
        };
    }

    private static String display(Coding coding) {
        return ((coding.hasCode() ? coding.getCode() : "") + " " + (coding.hasDisplay() ? coding.getDisplay() : "")).trim();
    }

    private static String quantity(Observation o) {
        if (!o.hasValueQuantity()) {
            return o.hasValue() ? o.getValue().primitiveValue() : "";
        }
        return number(o.getValueQuantity().getValue().doubleValue()) + (o.getValueQuantity().hasUnit() ? " " + o.getValueQuantity().getUnit() : "");
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return "not stated";
        }
        return java.math.BigDecimal.valueOf(value).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String day(Date date) {
        return date.toInstant().toString().substring(0, 10);
    }
}
