package io.sluice.vms.domain;

/**
 * One allocated address, with the prefix length and gateway of the prefix it lies in (what a VM
 * needs for its interface configuration).
 */
public record Allocated(
    long poolId, String pool, int family, String address, int prefixLength, String gateway) {}
