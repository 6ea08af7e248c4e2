package org.pumpcds.api;

import tools.jackson.databind.JsonNode;

/**
 * A validated service call (CDS Hooks 2.0 section "HTTP Request"). Unknown fields and extensions are dropped.
 *
 * @param prefetch the {@code prefetch} object as sent (null when absent); kept as JSON so that a key with
 *                 value {@code null} stays distinct from an absent key
 */
public record HookRequest(String hook, String hookInstance, String fhirServer, FhirAuthorization fhirAuthorization,
        OrderContext context, JsonNode prefetch) {
}
