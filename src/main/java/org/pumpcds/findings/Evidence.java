package org.pumpcds.findings;

/**
 * A piece of evidence a rule used or missed.
 *
 * @param reference {@code Type/id} of the resource, or null when the evidence was looked for and not found
 * @param summary   what was found or missed, in words a clinician reads ("NRS 8 before, 3 after trial")
 */
public record Evidence(String reference, String summary) {
}
