package org.pumpcds.support;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/** The project's reviewed files (fhir-profiles/, knowledge/) loaded as the service loads them, for unit tests. */
public final class Knowledge {

    private static ValueSetIndex valueSets;
    private static StabilityKnowledge stability;
    private static PolicyKnowledge policies;

    private Knowledge() {
    }

    public static synchronized ValueSetIndex valueSets() {
        if (valueSets == null) {
            List<ValueSetIndex.Source> sources = new ArrayList<>();
            for (Path file : files("fhir-profiles", "ValueSet-")) {
                sources.add(new ValueSetIndex.Source(file.toString(), open(file)));
            }
            valueSets = ValueSetIndex.load(FhirContext.forR4Cached(), sources);
        }
        return valueSets;
    }

    public static synchronized StabilityKnowledge stability() {
        if (stability == null) {
            List<KnowledgeFile> files = new ArrayList<>();
            for (String name : StabilityKnowledge.FILES) {
                files.add(new KnowledgeFile("knowledge/stability/" + name, open(Path.of("knowledge/stability", name))));
            }
            stability = StabilityKnowledge.load(files);
        }
        return stability;
    }

    public static synchronized PolicyKnowledge policies() {
        if (policies == null) {
            policies = policies(Path.of("knowledge/policies"));
        }
        return policies;
    }

    /** The policy files of a folder, validated as at start-up. */
    public static PolicyKnowledge policies(Path folder) {
        List<KnowledgeFile> files = new ArrayList<>();
        for (Path file : files(folder.toString(), "")) {
            files.add(new KnowledgeFile(file.toString(), open(file)));
        }
        ValueSetIndex known = valueSets();
        return PolicyKnowledge.load(files, id -> known.urls().contains(ValueSets.of(id)));
    }

    private static List<Path> files(String folder, String prefix) {
        try (Stream<Path> list = Files.list(Path.of(folder))) {
            return list.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
