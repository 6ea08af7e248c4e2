package org.pumpcds.findings;

/**
 * The policy behind a finding.
 *
 * @param policyId   stable id, e.g. {@code cg-surg-79}
 * @param label      what a clinician reads as the card source
 * @param sourceFile the policy document in shared/policies/ (e.g. {@code 001_49491f8a6899f245.txt})
 * @param section    the section of that document
 * @param url        public address of the policy, or null
 */
public record PolicyCitation(String policyId, String label, String sourceFile, String section, String url) {
}
