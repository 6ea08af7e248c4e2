package org.pumpcds.preparation;

import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.preparation.PumpPreparation.AttachedEvidence;
import org.pumpcds.preparation.PumpPreparation.PreparedIngredient;
import org.pumpcds.knowledge.PumpModel;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.knowledge.SubstanceIdentities;
import org.pumpcds.vitals.BodyTemperatures;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;

/**
 * Reads a pump drug order into a {@link PumpPreparation} (conventions: fhir-profiles/README.md). Stateless.
 */
public final class PreparationReader {

    /** Marks the first fill of a new pump on a MedicationRequest (fhir-profiles/README.md). */
    public static final String FIRST_FILL_EXTENSION = CodeSystems.PROJECT_BASE + "/StructureDefinition/first-fill-of-new-pump";
    private static final String[][] SALTS = {{"sulfate", "sulfate"}, {"sulphate", "sulfate"}, {"hydrochloride", "hydrochloride"},
        {" hcl", "hydrochloride"}, {"citrate", "citrate"}, {"tartrate", "tartrate"}};

    private final StabilityKnowledge knowledge;
    private final SubstanceIdentities identities;
    private final ValueSetIndex valueSets;
    private final Settings settings;

    /**
     * @param defaultReservoirMl  reservoir volume assumed when neither the Device nor a confirmed model gives one; null
     *                            = never assume one
     * @param temperatureLookback how far before the order a body temperature counts as recent
     */
    public record Settings(Double defaultReservoirMl, Duration temperatureLookback) {
    }

    public PreparationReader(StabilityKnowledge knowledge, ValueSetIndex valueSets, Settings settings) {
        this.knowledge = knowledge;
        this.identities = knowledge.identities();
        this.valueSets = valueSets;
        this.settings = settings;
    }

    /**
     * @param lookup resolves a reference that is neither contained nor in the record (draftOrders bundle, or a
     *               read from the EHR's FHIR server); empty when it cannot be had
     */
    public PumpPreparation read(PumpOrder order, DraftOrders orders, PatientRecord record,
            Function<String, Optional<Resource>> lookup) {
        MedicationRequest request = (MedicationRequest) order.resource();
        List<PreparedIngredient> actives = new ArrayList<>();
        List<String> diluents = new ArrayList<>();
        Medication medication = medication(request, lookup);
        if (medication != null && medication.hasIngredient()) {
            for (Medication.MedicationIngredientComponent ingredient : medication.getIngredient()) {
                CodeableConcept code = ingredient.hasItemCodeableConcept() ? ingredient.getItemCodeableConcept() : null;
                String name = name(code);
                boolean inactive = ingredient.hasIsActive() && !ingredient.getIsActive();
                if (inactive || (!ingredient.hasIsActive() && identities.diluent(name).isPresent())) {
                    diluents.add(name);
                } else {
                    actives.add(active(code, name, mgPerMl(ingredient.getStrength())));
                }
            }
        } else {
            CodeableConcept code = medication != null ? medication.getCode()
                    : request.hasMedicationCodeableConcept() ? request.getMedicationCodeableConcept() : null;
            if (code != null && (code.hasCoding() || code.hasText())) {
                actives.add(active(code, name(code), null));
            }
        }

        Optional<PumpOrder> orderedPump = orders.pumpsOrdered().stream().filter(o -> o.kind() == OrderKind.DEVICE).findFirst();
        List<Device> implanted = ImplantedPumps.in(record, valueSets);
        PumpModel pump = null;
        String pumpDescription = null;
        Double reservoirMl = null;
        if (orderedPump.isPresent()) {
            List<String> texts = orderedPumpTexts(orderedPump.get());
            pump = identify(texts);
            pumpDescription = texts.isEmpty() ? orderedPump.get().label() : texts.get(0);
        } else if (!implanted.isEmpty()) {
            List<List<String>> texts = implanted.stream().map(PreparationReader::deviceTexts).toList();
            List<PumpModel> models = texts.stream().map(this::identify).toList();
            Device device = implanted.get(0);
            // two active pumps of different or unknown models: which one this order fills is not on record
            if (implanted.size() == 1 || models.get(0) != null && models.stream().allMatch(models.get(0)::equals)) {
                pump = models.get(0);
                pumpDescription = texts.get(0).isEmpty() ? "implanted pump " + device.getIdElement().getIdPart() : texts.get(0).get(0);
                PumpModel model = pump;
                List<Double> reservoirs = implanted.stream().map(d -> reservoir(d, model)).distinct().toList();
                reservoirMl = reservoirs.size() == 1 ? reservoirs.get(0) : null; // two sizes: which one is filled is unknown
            } else {
                pumpDescription = implanted.size() + " active implanted pumps: "
                        + implanted.stream().map(d -> "Device/" + d.getIdElement().getIdPart()).collect(Collectors.joining(", "));
            }
        }
        if (reservoirMl == null) {
            reservoirMl = settings.defaultReservoirMl();
        }

        Double plannedDays = null;
        String plannedBasis = null;
        if (request.getDispenseRequest().hasExpectedSupplyDuration()) {
            plannedDays = days(request.getDispenseRequest().getExpectedSupplyDuration());
            plannedBasis = "expected supply duration on the order";
        }
        if (plannedDays == null && reservoirMl != null) {
            Double mlPerDay = dailyVolume(request, actives);
            if (mlPerDay != null && mlPerDay > 0) {
                plannedDays = finite(reservoirMl / mlPerDay);
                plannedBasis = "reservoir " + Amounts.number(reservoirMl) + " mL at " + Amounts.number(mlPerDay) + " mL/day";
            }
        }

        boolean firstFill = orderedPump.isPresent() || orders.pumpsOrdered().stream().anyMatch(o -> o.kind() == OrderKind.PROCEDURE)
                || request.getExtensionsByUrl(FIRST_FILL_EXTENSION).stream()
                        .anyMatch(e -> "true".equals(e.getValue().primitiveValue()));

        Instant reference = request.hasAuthoredOn() ? request.getAuthoredOn().toInstant() : Instant.now();
        Optional<BodyTemperatures.Reading> hottest = BodyTemperatures.highest(record, reference, settings.temperatureLookback());

        return new PumpPreparation(order.reference(), request, order.label(), actives, diluents,
                order.matched().getCode(), pump, pumpDescription, plannedDays, plannedBasis, firstFill,
                hottest.map(BodyTemperatures.Reading::celsius).orElse(null), hottest.map(BodyTemperatures.Reading::reference).orElse(null),
                dispensingState(request, lookup), attached(request, order, record, lookup));
    }

    private static Medication medication(MedicationRequest request, Function<String, Optional<Resource>> lookup) {
        if (!request.hasMedicationReference()) {
            return null;
        }
        Reference reference = request.getMedicationReference();
        if (reference.getResource() instanceof Medication contained) {
            return contained;
        }
        return lookup.apply(reference.getReference()).filter(Medication.class::isInstance).map(Medication.class::cast).orElse(null);
    }

    /**
     * An active ingredient as the identity file knows it: a product code becomes its ingredient's code; a name
     * counts only when spelt exactly as listed; anything else stays unidentified (no code, identified false).
     */
    private PreparedIngredient active(CodeableConcept code, String name, Double mgPerMl) {
        Optional<SubstanceIdentities.IngredientIdentity> identity = identities.ingredient(code);
        return new PreparedIngredient(identity.map(SubstanceIdentities.IngredientIdentity::rxcui).orElse(null),
                identity.isPresent() && identity.get().rxcui() == null ? identity.get().id() : name, salt(code), mgPerMl,
                identity.isPresent());
    }

    private static String name(CodeableConcept code) {
        if (code == null) {
            return "unnamed ingredient";
        }
        return code.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst()
                .orElse(code.hasText() ? code.getText() : "unnamed ingredient");
    }

    private static String salt(CodeableConcept code) {
        if (code == null) {
            return null;
        }
        List<String> words = new ArrayList<>();
        code.getCoding().forEach(c -> words.add(c.getDisplay()));
        words.add(code.getText());
        for (String word : words) {
            if (word == null) {
                continue;
            }
            String lower = " " + word.toLowerCase(Locale.ROOT);
            for (String[] salt : SALTS) {
                if (lower.contains(salt[0])) {
                    return salt[1];
                }
            }
        }
        return null;
    }

    /** Strength as mg per mL, from a Ratio of mass to volume. */
    static Double mgPerMl(Ratio strength) {
        if (strength == null || !strength.hasNumerator() || !strength.hasDenominator()) {
            return null;
        }
        Double mg = mass(strength.getNumerator());
        Double ml = volume(strength.getDenominator());
        return mg == null || ml == null || ml == 0 ? null : finite(mg / ml);
    }

    private static Double mass(Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return null;
        }
        double value = quantity.getValue().doubleValue();
        return finite(switch (unit(quantity)) {
            case "g" -> value * 1000;
            case "mg" -> value;
            case "ug", "mcg", "µg" -> value / 1000;
            case "ng" -> value / 1_000_000;
            default -> null;
        });
    }

    private static Double volume(Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return null;
        }
        double value = quantity.getValue().doubleValue();
        return finite(switch (unit(quantity)) {
            case "ml" -> value;
            case "l" -> value * 1000;
            default -> null;
        });
    }

    private static String unit(Quantity quantity) {
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        return unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
    }

    /** A Duration in days (UCUM: d, h, wk, mo = 30.4375 d, a = 365.25 d). */
    static Double days(Quantity duration) {
        if (duration == null || !duration.hasValue()) {
            return null;
        }
        double value = duration.getValue().doubleValue();
        return finite(switch (unit(duration)) {
            case "d", "day", "days" -> value;
            case "h", "hour", "hours" -> value / 24;
            case "wk", "week", "weeks" -> value * 7;
            case "mo", "month", "months" -> value * 30.4375;
            case "a", "year", "years" -> value * 365.25;
            default -> null;
        });
    }

    /** A quantity whose arithmetic left a double's range is unusable, read as not stated rather than as infinity. */
    private static Double finite(Double value) {
        return value == null || Double.isFinite(value) ? value : null;
    }

    /**
     * Daily volume from the first rate: a volume rate (mL/d, mL/h, mL/min), or a mass rate (mg/d, mcg/d) divided
     * by the first active ingredient's concentration.
     */
    static Double dailyVolume(MedicationRequest request, List<PreparedIngredient> actives) {
        for (Dosage dosage : request.getDosageInstruction()) {
            for (Dosage.DosageDoseAndRateComponent doseAndRate : dosage.getDoseAndRate()) {
                if (doseAndRate.hasRateQuantity()) {
                    Double perDay = perDay(doseAndRate.getRateQuantity(), actives);
                    if (perDay != null) {
                        return perDay;
                    }
                }
                if (doseAndRate.hasRateRatio()) {
                    Ratio rate = doseAndRate.getRateRatio();
                    Double perTime = days(rate.getDenominator());
                    Double ml = volume(rate.getNumerator());
                    Double mg = mass(rate.getNumerator());
                    if (perTime != null && perTime > 0) {
                        if (ml != null) {
                            return finite(ml / perTime);
                        }
                        Double concentration = actives.isEmpty() ? null : actives.get(0).mgPerMl();
                        if (mg != null && concentration != null && concentration > 0) {
                            return finite(mg / concentration / perTime);
                        }
                    }
                }
            }
        }
        return null;
    }

    private static Double perDay(Quantity rate, List<PreparedIngredient> actives) {
        String unit = unit(rate);
        int slash = unit.indexOf('/');
        if (slash < 0 || !rate.hasValue()) {
            return null;
        }
        Quantity amount = new Quantity().setValue(rate.getValue()).setCode(unit.substring(0, slash));
        Double perTime = days(new Quantity().setValue(1).setCode(unit.substring(slash + 1)));
        if (perTime == null || perTime == 0) {
            return null;
        }
        Double ml = volume(amount);
        if (ml != null) {
            return finite(ml / perTime);
        }
        Double mg = mass(amount);
        Double concentration = actives.isEmpty() ? null : actives.get(0).mgPerMl();
        return mg != null && concentration != null && concentration > 0 ? finite(mg / concentration / perTime) : null;
    }

    private Double reservoir(Device device, PumpModel pump) {
        for (Device.DevicePropertyComponent property : device.getProperty()) {
            boolean isReservoir = property.getType().getCoding().stream()
                    .anyMatch(c -> CodeSystems.PUMP_CDS.equals(c.getSystem()) && "reservoir-volume".equals(c.getCode()));
            if (isReservoir && property.hasValueQuantity()) {
                Double ml = volume(property.getValueQuantityFirstRep());
                if (ml != null) {
                    return ml;
                }
            }
        }
        if (pump != null && device.hasModelNumber()) {
            return pump.reservoirs().stream().filter(r -> device.getModelNumber().startsWith(r.modelNumber()))
                    .map(PumpModel.Reservoir::ml).findFirst().orElse(null);
        }
        return null;
    }

    /** The pump model the first of a device's or order's texts names, or null. */
    private PumpModel identify(List<String> texts) {
        return texts.stream().map(knowledge::identifyPump).flatMap(Optional::stream).findFirst().orElse(null);
    }

    private static List<String> deviceTexts(Device device) {
        List<String> texts = new ArrayList<>();
        device.getDeviceName().forEach(n -> texts.add(n.getName()));
        if (device.hasModelNumber()) {
            texts.add(device.getModelNumber());
        }
        if (device.getType().hasText()) {
            texts.add(device.getType().getText());
        }
        texts.removeIf(t -> t == null || t.isBlank());
        return texts;
    }

    private static List<String> orderedPumpTexts(PumpOrder order) {
        List<String> texts = new ArrayList<>();
        if (order.resource() instanceof DeviceRequest request) {
            if (request.hasCodeReference() && request.getCodeReference().getResource() instanceof Device device) {
                texts.addAll(deviceTexts(device));
            }
            if (request.hasCodeCodeableConcept() && request.getCodeCodeableConcept().hasText()) {
                texts.add(request.getCodeCodeableConcept().getText());
            }
        }
        return texts;
    }

    private static String dispensingState(MedicationRequest request, Function<String, Optional<Resource>> lookup) {
        if (!request.getDispenseRequest().hasPerformer()) {
            return null;
        }
        Reference performer = request.getDispenseRequest().getPerformer();
        Resource target = performer.getResource() instanceof Resource contained ? contained
                : lookup.apply(performer.getReference()).orElse(null);
        if (target instanceof Organization organization) {
            return organization.getAddress().stream().filter(a -> a.hasState()).map(a -> a.getState()).findFirst().orElse(null);
        }
        return null;
    }

    private static List<AttachedEvidence> attached(MedicationRequest request, PumpOrder order, PatientRecord record,
            Function<String, Optional<Resource>> lookup) {
        List<DocumentReference> documents = new ArrayList<>();
        for (Reference info : request.getSupportingInformation()) {
            Resource target = info.getResource() instanceof Resource contained ? contained
                    : record.all(DocumentReference.class).stream()
                            .filter(d -> info.getReferenceElement().getIdPart() != null
                                    && info.getReferenceElement().getIdPart().equals(d.getIdElement().getIdPart()))
                            .map(Resource.class::cast).findFirst()
                            .or(() -> lookup.apply(info.getReference())).orElse(null);
            if (target instanceof DocumentReference document) {
                documents.add(document);
            }
        }
        String orderId = order.reference().substring(order.reference().indexOf('/') + 1);
        for (DocumentReference document : record.all(DocumentReference.class)) {
            boolean relatedToOrder = document.getContext().getRelated().stream()
                    .anyMatch(r -> orderId.equals(r.getReferenceElement().getIdPart()));
            if (relatedToOrder && documents.stream().noneMatch(d -> d.getIdElement().getIdPart().equals(document.getIdElement().getIdPart()))) {
                documents.add(document);
            }
        }
        List<AttachedEvidence> out = new ArrayList<>();
        for (DocumentReference document : documents) {
            String reference = "DocumentReference/" + document.getIdElement().getIdPart();
            Optional<Attachment> json = document.getContent().stream().map(DocumentReference.DocumentReferenceContentComponent::getAttachment)
                    .filter(a -> a.hasData() && a.getContentType() != null && a.getContentType().contains("json")).findFirst();
            if (json.isEmpty()) {
                out.add(new AttachedEvidence(reference, null, "it carries no JSON evidence record (see the StabilityEvidence profile)"));
                continue;
            }
            try {
                out.add(new AttachedEvidence(reference, StabilityKnowledge.parseAttached(reference, json.get().getData()), null));
            } catch (IllegalArgumentException e) {
                out.add(new AttachedEvidence(reference, null, "its evidence record is incomplete or malformed"));
            }
        }
        return out;
    }
}
