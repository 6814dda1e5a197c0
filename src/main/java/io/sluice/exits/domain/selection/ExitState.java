package io.sluice.exits.domain.selection;

/** Health of an exit as the health checker last saw it. */
public enum ExitState {
  /** Working. */
  HEALTHY,
  /** Recent failures or slow answers, but still selectable. */
  SUSPECT,
  /** Failing: never selected. */
  UNHEALTHY,
  /** Switched off by an operator: never selected. */
  DISABLED;

  /** Whether a strategy may choose an exit in this state ({@code HEALTHY} or {@code SUSPECT}). */
  public boolean selectable() {
    return this == HEALTHY || this == SUSPECT;
  }
}
