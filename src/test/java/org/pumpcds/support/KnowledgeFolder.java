package org.pumpcds.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of the project's knowledge folder in a temporary directory, for tests that change knowledge as data. */
public final class KnowledgeFolder {

    private KnowledgeFolder() {
    }

    /** knowledge/policies and knowledge/stability copied into a new temporary folder. */
    public static Path copy() {
        try {
            Path folder = Files.createTempDirectory("pump-cds-knowledge");
            for (String sub : new String[] {"policies", "stability"}) {
                Files.createDirectories(folder.resolve(sub));
                try (Stream<Path> files = Files.list(Path.of("knowledge", sub))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, folder.resolve(sub).resolve(file.getFileName()));
                    }
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
