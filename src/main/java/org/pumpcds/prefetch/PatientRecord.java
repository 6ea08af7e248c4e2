package org.pumpcds.prefetch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;
import tools.jackson.databind.JsonNode;

/**
 * The patient data one call works from, per prefetch key, whether it came from prefetch or a query. A prefetched
 * resource stays JSON until a rule first reads its type, and is turned into a FHIR object at most once; a rule that
 * looks for particular codes can say so ({@link #all(Class, Predicate)}) and the rest is never parsed. Lookups by type
 * see every key and count a resource once. Used by one call's thread.
 */
public final class PatientRecord {

    /** One resource of the record: parsed already, or JSON with the function that parses it when first read. */
    static final class Item {
        private final String type;
        private final JsonNode json;
        private Supplier<Resource> parse;
        private Resource resource;

        private Item(String type, JsonNode json, Supplier<Resource> parse, Resource resource) {
            this.type = type;
            this.json = json;
            this.parse = parse;
            this.resource = resource;
        }

        static Item parsed(Resource resource) {
            return new Item(resource.fhirType(), null, null, resource);
        }

        /** @param parse gives the resource, or null when, parsed, it turns out not to be this patient's */
        static Item unparsed(String type, JsonNode json, Supplier<Resource> parse) {
            return new Item(type, json, parse, null);
        }

        String type() {
            return type;
        }

        /** The JSON it was sent as, or null when it arrived parsed. */
        JsonNode json() {
            return json;
        }

        /** This item, read as nothing when the parsed resource fails the test. */
        Item keepingOnly(Predicate<Resource> test) {
            Supplier<Resource> parseThis = parse;
            return parseThis == null ? this : unparsed(type, json, () -> {
                Resource parsed = parseThis.get();
                return parsed != null && test.test(parsed) ? parsed : null;
            });
        }

        /** The resource, parsed now if it was not yet; null when it is not the context patient's. */
        Resource resource() {
            if (parse != null) {
                resource = parse.get();
                parse = null;
            }
            return resource;
        }
    }

    private final Map<String, List<Item>> byType = new LinkedHashMap<>();
    private final Set<String> incompleteKeys;
    private final int excludedOtherPatients;
    private final Map<String, Optional<Resource>> byReference = new HashMap<>();
    private final Map<Object, Object> derived = new HashMap<>();

    /** @param excludedOtherPatients resources sent or fetched that were left out because they are not this patient's */
    public PatientRecord(Map<String, List<Resource>> byKey, Set<String> incompleteKeys, int excludedOtherPatients) {
        this(excludedOtherPatients, incompleteKeys, items(byKey));
    }

    public PatientRecord(Map<String, List<Resource>> byKey, Set<String> incompleteKeys) {
        this(byKey, incompleteKeys, 0);
    }

    /** @param byKey each key's resources, parsed or not, in key order */
    static PatientRecord of(Map<String, List<Item>> byKey, Set<String> incompleteKeys, int excludedOtherPatients) {
        return new PatientRecord(excludedOtherPatients, incompleteKeys, byKey);
    }

    private PatientRecord(int excludedOtherPatients, Set<String> incompleteKeys, Map<String, List<Item>> byKey) {
        byKey.values().forEach(items -> items.forEach(item -> byType.computeIfAbsent(item.type(), t -> new ArrayList<>()).add(item)));
        this.incompleteKeys = Set.copyOf(incompleteKeys);
        this.excludedOtherPatients = excludedOtherPatients;
    }

    private static Map<String, List<Item>> items(Map<String, List<Resource>> byKey) {
        Map<String, List<Item>> items = new LinkedHashMap<>();
        byKey.forEach((key, resources) -> items.put(key, resources.stream().map(Item::parsed).toList()));
        return items;
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
        return derived(type, () -> all(type, json -> true));
    }

    /**
     * The resources of a type whose JSON passes a cheap test, each once, in key order; those that fail it are never
     * parsed. The test must only rule out what the caller's own test on the parsed resource would reject (answer
     * true for any shape it does not recognise): it saves work, it never decides. Resources that arrived parsed
     * (from a query) are all returned.
     */
    public <T extends Resource> List<T> all(Class<T> type, Predicate<JsonNode> mayMatch) {
        Set<String> seen = new HashSet<>();
        List<T> out = new ArrayList<>();
        for (Item item : itemsOf(type)) {
            if (item.json != null && item.parse != null && !mayMatch.test(item.json)) {
                continue;
            }
            Resource resource = item.resource();
            if (type.isInstance(resource) && (!resource.hasId()
                    || seen.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart()))) {
                out.add(type.cast(resource));
            }
        }
        return out;
    }

    /**
     * A fact computed from the record once per call, whoever asks: the first answer is kept for the rest of the call
     * (the resources do not change; only which of them are parsed yet, which could otherwise make a second answer
     * pick another of two copies of one id). The key must capture every input of the computation.
     */
    @SuppressWarnings("unchecked")
    public <V> V derived(Object key, Supplier<V> compute) {
        Object value = derived.get(key);
        if (value == null) {
            value = compute.get();
            derived.put(key, value);
        }
        return (V) value;
    }

    /** The resource a relative reference ({@code Type/id}) names, if the record holds it. */
    public Optional<Resource> find(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return byReference.computeIfAbsent(reference, r -> {
            String type = reference.substring(0, slash);
            String id = reference.substring(slash + 1);
            for (Item item : byType.getOrDefault(type, List.of())) {
                Resource resource = item.resource();
                if (resource != null && id.equals(resource.getIdElement().getIdPart())) {
                    return Optional.of(resource);
                }
            }
            return Optional.empty();
        });
    }

    private List<Item> itemsOf(Class<? extends Resource> type) {
        return byType.getOrDefault(type.getSimpleName(), List.of()); // an R4 model class is named as its resource type
    }
}
