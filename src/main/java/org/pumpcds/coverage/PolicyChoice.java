package org.pumpcds.coverage;

/**
 * Which payer policy applies and why.
 *
 * @param payer     the payer's name or identifier as recorded, or null
 * @param defaulted true when no active Coverage mapped to a policy and the configured default applied
 */
public record PolicyChoice(String policyId, String payer, boolean defaulted) {
}
