/** Typed settings ({@code pumpcds.*}, documented in README.md) and the wiring of the Spring-free components. */
package org.pumpcds.config;
