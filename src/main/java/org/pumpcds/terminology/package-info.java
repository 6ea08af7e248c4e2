/**
 * Code-set membership: loads the FHIR ValueSets in {@code fhir-profiles/} and answers whether a coding
 * (system + code) belongs to one, with system aliases (http/https HCPCS) and ICD-10 prefix hierarchies
 * ({@code is-a} filters, so G35 matches the FY2026 children G35.A...). No Spring, no HTTP.
 */
package org.pumpcds.terminology;
