/**
 * VM persistence: the pool repository and the allocation store in SQL (native queries through JPA
 * in the server, or plain JDBC in tests and benchmarks) on {@code address_pool}, {@code
 * address_prefix}, {@code address_free_range} and {@code address_allocation}, and JPA repositories
 * of VMs and sessions ({@code vm}, {@code vm_session}). Implements the domain ports.
 */
package io.sluice.vms.infra;
