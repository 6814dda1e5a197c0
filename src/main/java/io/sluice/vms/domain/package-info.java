/**
 * VM domain: VM and session entities, the repository ports the services use (JPA implementations in
 * {@code vms.infra}), and the values shared with the allocator ({@code Allocated}, {@code
 * PoolUsage}). Plain Java and JPA mappings only.
 */
package io.sluice.vms.domain;
