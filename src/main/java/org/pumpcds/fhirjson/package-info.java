/**
 * FHIR resources from JSON the request parser has already read: HAPI's parser fed the Jackson tree directly, so
 * a resource is never written back to text and tokenised a second time.
 */
package org.pumpcds.fhirjson;
