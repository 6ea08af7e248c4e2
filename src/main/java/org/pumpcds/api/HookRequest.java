package org.pumpcds.api;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A validated service call (CDS Hooks 2.0 section "HTTP Request"). Unknown fields and extensions are dropped.
 *
 * @param prefetch the {@code prefetch} object as sent (null when absent), read when first asked: only a call with a
 *                 pump order needs it; kept as JSON so that a key with value {@code null} stays distinct from an
 *                 absent key
 */
public record HookRequest(String hook, String hookInstance, String fhirServer, FhirAuthorization fhirAuthorization,
        OrderContext context, Supplier<JsonNode> prefetch) {
}
