package io.sluice.vms.domain;

/** One allocated address. */
public record Allocated(
    long poolId, String pool, int family, String address, int prefixLength, String gateway) {}
