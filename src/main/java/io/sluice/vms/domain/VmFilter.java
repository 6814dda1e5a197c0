package io.sluice.vms.domain;

/**
 * What a VM list is narrowed to; a null field does not filter.
 *
 * @param userId the owning proxy user
 * @param type {@code cli} or {@code browser}
 * @param state {@code active} or {@code stopped}
 */
public record VmFilter(Long userId, String type, String state) {

  /** Every VM. */
  public static final VmFilter ALL = new VmFilter(null, null, null);
}
