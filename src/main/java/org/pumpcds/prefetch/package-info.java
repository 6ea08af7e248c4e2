/**
 * Prefetch resolution per CDS Hooks 2.0 (shared/cds-hooks-checklist.md section 3): a present key is used,
 * {@code null} means "no data", an OperationOutcome or an absent key is fetched from {@code fhirServer} with
 * the EHR's bearer token, otherwise 412. Then the resources the orders and record reference are read from
 * {@code fhirServer}. All queries of one call run concurrently under the one call deadline.
 * The access token lives only in the call's stack: never logged, stored or sent to another host.
 */
package org.pumpcds.prefetch;
