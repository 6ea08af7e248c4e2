package org.pumpcds.knowledge;

import java.io.InputStream;

/** A knowledge file by name (for error messages) and content. */
public record KnowledgeFile(String name, InputStream content) {
}
