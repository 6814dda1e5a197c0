/**
 * VM address persistence: the pool repository and the allocation store in SQL (native queries
 * through JPA in the server, or plain JDBC in tests and benchmarks, both through {@link
 * io.sluice.vms.infra.Sql}) on {@code address_pool}, {@code address_prefix}, {@code
 * address_free_range} and {@code address_allocation}. Implements the domain ports.
 */
package io.sluice.vms.infra;
