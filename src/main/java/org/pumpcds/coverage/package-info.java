/**
 * Medical-necessity checks for implantable pump orders under the payer's policy: CG-SURG-79 (policy 001), the
 * BCBS Arizona guideline (policy 002) and the CMS coverage page (policy 003), with the label rules that bear on the
 * pump decision. Chooses the policy from the patient's Coverage, classifies the therapy, and evaluates each
 * criterion as met, unmet or not documented with the evidence it used. Silence is never read as absence. No Spring.
 */
package org.pumpcds.coverage;
