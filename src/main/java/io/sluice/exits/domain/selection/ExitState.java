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

  /** The name in the API, the database and metrics: {@code healthy}, {@code suspect}, ... */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The state named {@code name} (any case), or {@code null} when there is none. */
  public static ExitState fromWire(String name) {
    if (name == null) {
      return null;
    }
    for (ExitState s : values()) {
      if (s.name().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    return null;
  }

  /** Whether a strategy may choose an exit in this state ({@code HEALTHY} or {@code SUSPECT}). */
  public boolean selectable() {
    return this == HEALTHY || this == SUSPECT;
  }
}
