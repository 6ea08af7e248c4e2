/**
 * Loads and validates the reviewed knowledge files under {@code knowledge/} at start-up: implantable pump
 * models, FDA-labeled drug + pump uses, labeled refill limits and published stability studies. A file that does
 * not load, or a fact without its source, stops the start with the file and field named. No Spring.
 */
package org.pumpcds.knowledge;
