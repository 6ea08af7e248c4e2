package org.pumpcds.findings;

/**
 * The policy behind a finding.
 *
 * @param policyId   stable id, e.g. {@code cg-surg-79}, {@code ma-2024-02}
 * @param label      what a clinician reads as the card source
 * @param sourceFile the policy document in shared/policies/, or the knowledge file for label facts
 * @param section    the section of that document
 * @param url        public address of the policy, or null
 */
public record PolicyCitation(String policyId, String label, String sourceFile, String section, String url) {
}
