package org.pumpcds.prefetch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * The patient data one call works from, per prefetch key, whether it came from prefetch or a query.
 * Immutable; lookups by type see every key and count a resource once.
 */
public final class PatientRecord {

    private final Map<String, List<Resource>> byKey;
    private final Set<String> incompleteKeys;
    private final int excludedOtherPatients;

    /** @param excludedOtherPatients resources sent or fetched that were left out because they are not this patient's */
    public PatientRecord(Map<String, List<Resource>> byKey, Set<String> incompleteKeys, int excludedOtherPatients) {
        Map<String, List<Resource>> copy = new LinkedHashMap<>();
        byKey.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byKey = java.util.Collections.unmodifiableMap(copy);
        this.incompleteKeys = Set.copyOf(incompleteKeys);
        this.excludedOtherPatients = excludedOtherPatients;
    }

    public PatientRecord(Map<String, List<Resource>> byKey, Set<String> incompleteKeys) {
        this(byKey, incompleteKeys, 0);
    }

    public static PatientRecord empty() {
        return new PatientRecord(Map.of(), Set.of());
    }

    /** How many resources were left out because they belong to another patient (the cards say so). */
    public int excludedOtherPatients() {
        return excludedOtherPatients;
    }

    /** Keys whose data was cut short (a paging limit reached); rules must not read silence there as absence. */
    public Set<String> incompleteKeys() {
        return incompleteKeys;
    }

    /** Every resource of a type across all keys, each once (by type and id), in key order. */
    public <T extends Resource> List<T> all(Class<T> type) {
        Set<String> seen = new LinkedHashSet<>();
        List<T> out = new ArrayList<>();
        for (List<Resource> resources : byKey.values()) {
            for (Resource resource : resources) {
                if (type.isInstance(resource)) {
                    String id = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                    if (!resource.hasId() || seen.add(id)) {
                        out.add(type.cast(resource));
                    }
                }
            }
        }
        return out;
    }

    /** The resource a relative reference ({@code Type/id}) names, if the record holds it. */
    public Optional<Resource> find(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String type = reference.substring(0, slash);
        String id = reference.substring(slash + 1);
        return byKey.values().stream().flatMap(List::stream)
                .filter(r -> r.fhirType().equals(type) && id.equals(r.getIdElement().getIdPart()))
                .findFirst();
    }
}
