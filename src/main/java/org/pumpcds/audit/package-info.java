/**
 * What the service showed and what clinicians did with it: a row per card returned ({@link CardAuditWriter}, off the
 * request path), joined to CDS Hooks feedback by card uuid and counted per rule ({@link RuleAnalytics}). No patient
 * data is kept: a patient is a keyed hash ({@link PatientKey}).
 */
package org.pumpcds.audit;
