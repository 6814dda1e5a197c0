package io.sluice.vms.domain;

import java.time.Instant;

/**
 * One row of {@code address_allocation}: an address held by a VM, or (with {@code releasedAt}) in
 * quarantine. {@code number} is the IPv4 address number, null for IPv6.
 */
public record AllocationRow(
    long poolId,
    long prefixId,
    String address,
    Long number,
    long vmId,
    Instant allocatedAt,
    Instant releasedAt) {}
