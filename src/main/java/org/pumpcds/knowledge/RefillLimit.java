package org.pumpcds.knowledge;

/**
 * A labeled maximum interval between refills.
 *
 * @param product labeled product id
 * @param when    {@code first-fill}, {@code diluted} or {@code undiluted}
 */
public record RefillLimit(String id, String product, String when, int maxDays, String source) {
}
