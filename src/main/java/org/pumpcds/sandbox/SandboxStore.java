package org.pumpcds.sandbox;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The sandbox's resources, by type and id, read once from bundle files; read-only afterwards. */
public final class SandboxStore {

    private final Map<String, Map<String, Resource>> byType = new ConcurrentHashMap<>();

    /** A named bundle file, so a load error names it. */
    public record BundleFile(String name, InputStream json) {
    }

    public static SandboxStore load(FhirContext fhir, List<BundleFile> files) {
        SandboxStore store = new SandboxStore();
        for (BundleFile file : files) {
            Bundle bundle;
            try (InputStream in = file.json()) {
                bundle = fhir.newJsonParser().parseResource(Bundle.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(file.name() + ": not a readable FHIR Bundle: " + e.getMessage(), e);
            }
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                if (resource == null || !resource.hasIdElement() || resource.getIdElement().getIdPart() == null) {
                    throw new IllegalStateException(file.name() + ": every entry needs a resource with an id");
                }
                String id = resource.getIdElement().getIdPart();
                resource.setId(resource.fhirType() + "/" + id);
                Resource previous = store.byType.computeIfAbsent(resource.fhirType(), t -> new LinkedHashMap<>()).put(id, resource);
                if (previous != null) {
                    throw new IllegalStateException(file.name() + ": duplicate " + resource.fhirType() + "/" + id);
                }
            }
        }
        return store;
    }

    public Optional<Resource> read(String type, String id) {
        return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(id));
    }

    public Collection<Resource> all(String type) {
        return byType.getOrDefault(type, Map.of()).values();
    }
}
