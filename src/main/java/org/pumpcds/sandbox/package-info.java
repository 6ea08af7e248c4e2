/**
 * The embedded FHIR R4 sandbox at {@code /fhir} (default run mode): a HAPI plain RESTful server over synthetic
 * patients loaded from {@code src/main/resources/sandbox/*.json}, answering {@code /metadata}, reads and the
 * searches the prefetch templates use with their filters applied. Switch off with
 * {@code pumpcds.sandbox.enabled=false} in production.
 */
package org.pumpcds.sandbox;
