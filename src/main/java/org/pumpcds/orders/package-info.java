/**
 * Reads {@code context.draftOrders} (and {@code selections} for order-select) into typed pump orders:
 * pump procedures (ServiceRequest, Procedure), pump devices (DeviceRequest) and drugs for a pump
 * (MedicationRequest by an intrathecal/epidural/intra-arterial/intraperitoneal route, or intravenous
 * alongside a pump order). Code sets come from CG-SURG-79's coding section (policy 001) via
 * {@code fhir-profiles/}. Any other order type is skipped, never rejected. No Spring, no HTTP.
 */
package org.pumpcds.orders;
