/**
 * Renders findings into CDS Hooks cards from the templates in {@code cards-templates/} (Mustache summary and
 * markdown detail, source, override reasons, links). Templates never decide: they show what a finding says.
 */
package org.pumpcds.cards;
