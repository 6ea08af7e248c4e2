/**
 * Reads a pump drug order into a {@link org.pumpcds.preparation.PumpPreparation} (ingredients, strengths, diluent,
 * pump, planned interval, dispensing pharmacy, attached evidence): shared by the payer and the compounding rules, so
 * neither rule package reaches into the other. No Spring.
 */
package org.pumpcds.preparation;
