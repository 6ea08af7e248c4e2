package org.pumpcds.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the knowledge files are read from (documented in knowledge/README.md).
 *
 * @param location a folder holding {@code policies/} and {@code stability/} (e.g. {@code /etc/pump-cds/knowledge}),
 *                 for an analyst's files reviewed outside a release; unset, the files shipped in the jar
 */
@ConfigurationProperties("pumpcds.knowledge")
public record KnowledgeProperties(String location) {

    /** A Spring resource location of one knowledge folder, ending in '/'. */
    String folder(String name) {
        return location == null || location.isBlank() ? "classpath:knowledge/" + name + "/"
                : "file:" + location.replaceAll("/+$", "") + "/" + name + "/";
    }

    /** How messages name a file: as the analyst knows it. */
    String describe(String folder, String file) {
        return (location == null || location.isBlank() ? "knowledge" : location.replaceAll("/+$", "")) + "/" + folder + "/" + file;
    }
}
