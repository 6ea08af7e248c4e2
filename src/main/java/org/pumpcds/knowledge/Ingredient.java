package org.pumpcds.knowledge;

/**
 * An ingredient as knowledge names it.
 *
 * @param rxcui         RxNorm ingredient (TTY=IN) code, or null where the code is UNCONFIRMED (then matched by name)
 * @param saltForm      e.g. sulfate, hydrochloride; null when the source does not say
 * @param concentration tested range, or null when the source gives none
 */
public record Ingredient(String rxcui, String name, String saltForm, ConcentrationRange concentration) {
}
