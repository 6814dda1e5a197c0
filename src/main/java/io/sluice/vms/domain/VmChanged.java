package io.sluice.vms.domain;

/**
 * CDI event: a VM was created, deleted or changed state. Observe it after the transaction commits
 * ({@code TransactionPhase.AFTER_SUCCESS}), e.g. to re-render the host firewall.
 *
 * @param change {@code created}, {@code deleted} or {@code state}
 */
public record VmChanged(long vmId, String change) {}
