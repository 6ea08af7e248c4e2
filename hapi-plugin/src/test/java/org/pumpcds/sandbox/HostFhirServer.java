package org.pumpcds.sandbox;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The host's own FHIR server in the tests: HAPI's RESTful server over the scenario patients (the sandbox bundles). */
public final class HostFhirServer {

    private HostFhirServer() {
    }

    public static SandboxFhirServer create(FhirContext fhir, Path bundles) throws IOException {
        List<SandboxStore.BundleFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(bundles)) {
            for (Path file : list.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                files.add(new SandboxStore.BundleFile(file.getFileName().toString(), Files.newInputStream(file)));
            }
        }
        return new SandboxFhirServer(fhir, SandboxStore.load(fhir, files), List.copyOf(SearchFields.BY_TYPE.keySet()));
    }
}
