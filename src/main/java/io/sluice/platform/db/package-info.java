/**
 * Database plumbing: Flyway migrations inside Liberty, system status, start-up event, paging, SQL
 * value helpers, JPA converters.
 */
package io.sluice.platform.db;
