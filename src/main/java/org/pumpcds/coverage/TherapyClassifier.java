package org.pumpcds.coverage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.fhirjson.CodedJson;
import org.pumpcds.knowledge.SubstanceIdentities;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;
import tools.jackson.databind.JsonNode;

/**
 * Finds the drug a pump order is for (a pump-route MedicationRequest among the draft orders, else the patient's
 * active pump-route MedicationRequest) and classifies the therapy by its codes and route.
 */
public final class TherapyClassifier {

    private final ValueSetIndex valueSets;
    private final SubstanceIdentities identities;
    private final Predicate<JsonNode> mayBeActivePumpDrug;

    public TherapyClassifier(ValueSetIndex valueSets, SubstanceIdentities identities) {
        this.valueSets = valueSets;
        this.identities = identities;
        this.mayBeActivePumpDrug = mayBeActivePumpDrug(valueSets);
    }

    public TherapyDrug classify(DraftOrders orders, PatientRecord record, Function<String, Optional<Resource>> lookup) {
        for (Resource resource : orders.readable()) {
            if (resource instanceof MedicationRequest request) {
                Optional<String> route = pumpRoute(request, true);
                if (route.isPresent()) {
                    return drug(request, resource.getIdElement().getValue(), route.get(), lookup);
                }
            }
        }
        for (MedicationRequest request : record.all(MedicationRequest.class, mayBeActivePumpDrug)) {
            Optional<String> route = pumpRoute(request, false);
            if (request.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE && route.isPresent()) {
                return drug(request, "MedicationRequest/" + request.getIdElement().getIdPart(), route.get(), lookup);
            }
        }
        return TherapyDrug.none();
    }

    /** Screens a MedicationRequest's JSON: could it be active with a pump route? (Saves parsing the others.) */
    public static Predicate<JsonNode> mayBeActivePumpDrug(ValueSetIndex valueSets) {
        return CodedJson.mayEqual("status", "active").and(CodedJson.mayHaveCoding("dosageInstruction.route",
                (system, code) -> valueSets.contains(ValueSets.PUMP_ROUTES, system, code.trim())));
    }

    private Optional<String> pumpRoute(MedicationRequest request, boolean intravenousCounts) {
        for (Dosage dosage : request.getDosageInstruction()) {
            Optional<Coding> route = valueSets.firstMatch(ValueSets.PUMP_ROUTES, dosage.getRoute());
            if (route.isEmpty() && intravenousCounts) {
                route = valueSets.firstMatch(ValueSets.PUMP_ROUTES_INTRAVENOUS, dosage.getRoute());
            }
            if (route.isPresent()) {
                return Optional.of(route.get().getCode());
            }
        }
        return Optional.empty();
    }

    private TherapyDrug drug(MedicationRequest request, String reference, String route,
            Function<String, Optional<Resource>> lookup) {
        CodeableConcept all = new CodeableConcept();
        List<SubstanceIdentities.IngredientIdentity> ingredients = new java.util.ArrayList<>();
        String name = null;
        if (request.hasMedicationCodeableConcept()) {
            request.getMedicationCodeableConcept().getCoding().forEach(all::addCoding);
            name = request.getMedicationCodeableConcept().getText();
        } else if (request.hasMedicationReference()) {
            Resource target = request.getMedicationReference().getResource() instanceof Resource contained ? contained
                    : lookup.apply(request.getMedicationReference().getReference()).orElse(null);
            if (target instanceof Medication medication) {
                medication.getCode().getCoding().forEach(all::addCoding);
                name = medication.getCode().getText();
                medication.getIngredient().stream().filter(i -> i.hasItemCodeableConcept())
                        .forEach(i -> {
                            i.getItemCodeableConcept().getCoding().forEach(all::addCoding);
                            identities.ingredient(i.getItemCodeableConcept()).ifPresent(ingredients::add);
                        });
            }
        }
        if (name == null) {
            name = all.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst().orElse("the pump drug");
        }
        // product codes count as their ingredient, and an exactly spelt name as its ingredient's code
        CodeableConcept identified = new CodeableConcept();
        identities.withIngredientCodes(all.getCoding()).forEach(identified::addCoding);
        identities.ingredient(all).ifPresent(ingredients::add);
        identities.ingredient(new CodeableConcept().setText(name)).ifPresent(ingredients::add);
        for (SubstanceIdentities.IngredientIdentity ingredient : ingredients) {
            if (ingredient.rxcui() != null && identified.getCoding().stream().noneMatch(c -> ingredient.rxcui().equals(c.getCode()))) {
                identified.addCoding(new Coding(CodeSystems.RXNORM, ingredient.rxcui(), ingredient.id()));
            }
        }
        boolean analgesic = ingredients.stream().anyMatch(i -> identities.inClass("neuraxial-analgesic", i));
        return new TherapyDrug(therapy(identified, route, analgesic), request, reference, route,
                List.copyOf(identified.getCoding()), name);
    }

    /** @param analgesic an ingredient is a neuraxial analgesic (opioid or not) by the identity file's class */
    private Therapy therapy(CodeableConcept drug, String route, boolean analgesic) {
        if (in("drug-insulin", drug)) {
            return Therapy.INSULIN;
        }
        if (in("drug-heparin", drug)) {
            return Therapy.HEPARIN;
        }
        if (in("drug-antibacterial", drug)) {
            return Therapy.ANTIBIOTIC;
        }
        if (valueSets.contains(ValueSets.of("route-intra-arterial"), CodeSystems.SNOMED, route)) {
            return Therapy.HEPATIC_ARTERIAL_CHEMOTHERAPY;
        }
        if (valueSets.contains(ValueSets.of("route-intraperitoneal"), CodeSystems.SNOMED, route)) {
            return Therapy.INTRAPERITONEAL_CHEMOTHERAPY;
        }
        boolean neuraxial = valueSets.contains(ValueSets.of("route-neuraxial"), CodeSystems.SNOMED, route);
        if (neuraxial && in("drug-baclofen", drug)) {
            return Therapy.INTRATHECAL_BACLOFEN;
        }
        if (in("drug-opioid", drug) || (neuraxial && (analgesic || in("drug-ziconotide", drug)))) {
            return Therapy.NEURAXIAL_ANALGESIA;
        }
        if (in("drug-treprostinil", drug)) {
            return Therapy.TREPROSTINIL;
        }
        return Therapy.OTHER;
    }

    private boolean in(String valueSetId, CodeableConcept drug) {
        return valueSets.firstMatch(ValueSets.of(valueSetId), drug).isPresent();
    }
}
