/**
 * CDS Hooks 2.0 wire model as records. Responses omit empty optional fields (checklist G-2): every record is
 * {@code NON_EMPTY} except {@code cards}, which is always sent, even when empty.
 */
package org.pumpcds.api;
