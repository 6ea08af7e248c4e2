/**
 * Stores CDS Hooks feedback (accepted / overridden cards, override reasons) in the configured database,
 * once per (service, card, outcome, outcome time), so repeated reports are harmless.
 */
package org.pumpcds.feedback;
