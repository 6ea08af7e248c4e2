package org.pumpcds.findings;

/**
 * A piece of evidence a rule used or missed.
 *
 * @param reference {@code Type/id} of the resource, a knowledge record id, or null when looked for and not found
 * @param summary   what was found or missed, in words a clinician reads ("NRS 8 before, 3 after trial")
 * @param url       public address of the evidence (a cited study), or null
 */
public record Evidence(String reference, String summary, String url) {

    public Evidence(String reference, String summary) {
        this(reference, summary, null);
    }
}
