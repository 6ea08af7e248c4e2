/**
 * What a rule concluded, with the evidence it used and the policy it applies: the only hand-off from the
 * rules ({@code orders}, {@code coverage}, {@code compounding}) to card rendering. Rules never write text.
 */
package org.pumpcds.findings;
