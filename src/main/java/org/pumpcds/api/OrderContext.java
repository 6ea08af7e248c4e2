package org.pumpcds.api;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The order-select / order-sign context (CDS Hooks Library 1.0.1).
 *
 * @param patientId   bare FHIR id (a {@code Patient/} prefix, seen in the wild, is removed)
 * @param selections  order-select only: {@code Type/id} of the selected draft orders; null for order-sign
 * @param draftOrders the Bundle of draft orders, as JSON
 */
public record OrderContext(String userId, String patientId, String encounterId, List<String> selections,
        JsonNode draftOrders) {
}
