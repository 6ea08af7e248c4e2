/**
 * HTTP edge of the CDS Hooks 2.0 service: discovery, service calls and feedback, request validation (400),
 * unknown services (404), unobtainable data (412) and the JSON error body. One {@link org.pumpcds.engine.CdsServiceDescriptor}
 * per service drives discovery, prefetch and invocation, so discovery cannot drift from behaviour.
 */
package org.pumpcds.hooks;
