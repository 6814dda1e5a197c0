/**
 * VM domain: pools and prefixes as stored, the {@link io.sluice.vms.domain.FreeRanges} model,
 * {@link io.sluice.vms.domain.PoolAllocator} (the allocation rules on top of the {@link
 * io.sluice.vms.domain.AllocationStore} port), address arithmetic, VM and session entities, the
 * repository ports, and the values other features see ({@link io.sluice.vms.domain.Allocated},
 * {@link io.sluice.vms.domain.PoolUsage}).
 */
package io.sluice.vms.domain;
