package io.sluice.vms.domain;

/** An allocation that cannot be made: the pool is full, or the requested address is not free. */
public final class AllocationException extends RuntimeException {

  /** Why. */
  public enum Kind {
    /** No free address is left in the pool. */
    EXHAUSTED,
    /** The address is taken, in quarantine, reserved, outside the pool or held by another VM. */
    CONFLICT
  }

  private final Kind kind;

  public AllocationException(Kind kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
