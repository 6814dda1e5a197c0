/**
 * VM address domain: pools and prefixes as stored, the {@link io.sluice.vms.domain.FreeRanges}
 * model, {@link io.sluice.vms.domain.PoolAllocator} (the allocation rules on top of the {@link
 * io.sluice.vms.domain.AllocationStore} port), address arithmetic and the records other features
 * see ({@link io.sluice.vms.domain.Allocated}, {@link io.sluice.vms.domain.PoolUsage}). Plain Java.
 */
package io.sluice.vms.domain;
