/**
 * Stability and compatibility documentation checks for compounded drugs in implantable pumps: MA Board of
 * Pharmacy Policy 2024-02 (policy 000) and Utah R156-17b-614a (policy 004), with labeled refill limits and the
 * FDA 2018 safety communication from public labeling. Takes the order read as a preparation
 * ({@code org.pumpcds.preparation}), decides the pathway (FDA-labeled use, or documentation), and checks each element
 * the dispensing pharmacy's policy declares against the best evidence. No Spring.
 */
package org.pumpcds.compounding;
