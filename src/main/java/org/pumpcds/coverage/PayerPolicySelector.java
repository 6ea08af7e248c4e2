package org.pumpcds.coverage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.prefetch.PatientRecord;

/** Chooses the payer policy from the patient's active Coverage through the configured payer table. */
public final class PayerPolicySelector {

    private final CoverageSettings settings;

    public PayerPolicySelector(CoverageSettings settings) {
        this.settings = settings;
    }

    public PolicyChoice choose(PatientRecord record, Function<String, Optional<Resource>> lookup) {
        String firstPayer = null;
        for (Coverage coverage : record.all(Coverage.class)) {
            if (coverage.getStatus() != null && coverage.getStatus() != Coverage.CoverageStatus.ACTIVE) {
                continue;
            }
            for (CoverageSettings.PayerMapping mapping : settings.payers()) {
                if (mapping.plan() != null && coverage.getClass_().stream().anyMatch(c -> mapping.plan().equals(c.getValue()))) {
                    return new PolicyChoice(mapping.policy(), "plan " + mapping.plan(), false);
                }
            }
            for (Reference payor : coverage.getPayor()) {
                List<Identifier> identifiers = new ArrayList<>();
                String name = payor.getDisplay();
                if (payor.hasIdentifier()) {
                    identifiers.add(payor.getIdentifier());
                }
                Resource target = payor.getResource() instanceof Resource contained ? contained
                        : payor.hasReference() ? lookup.apply(payor.getReference()).orElse(null) : null;
                if (target instanceof Organization organization) {
                    identifiers.addAll(organization.getIdentifier());
                    name = organization.hasName() ? organization.getName() : name;
                }
                if (firstPayer == null) {
                    firstPayer = name != null ? name : !identifiers.isEmpty() ? identifiers.get(0).getValue()
                            : payor.hasReference() ? payor.getReference() : null;
                    if (target == null && identifiers.isEmpty() && firstPayer != null) {
                        // the Coverage names the payer, but nothing identifies it for the payer table
                        firstPayer += " (its Organization record was not available to identify the payer)";
                    }
                }
                for (CoverageSettings.PayerMapping mapping : settings.payers()) {
                    for (Identifier identifier : identifiers) {
                        boolean systemMatches = mapping.system() == null || mapping.system().equals(identifier.getSystem());
                        if (mapping.value() != null && systemMatches && mapping.value().equals(identifier.getValue())) {
                            return new PolicyChoice(mapping.policy(), name != null ? name : identifier.getValue(), false);
                        }
                    }
                }
            }
        }
        return new PolicyChoice(settings.defaultPolicy(), firstPayer, true);
    }
}
