package io.sluice.exits.domain.selection;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Outcome of {@link ExitDirectory#select}: the chosen exit, or why there is none. */
public sealed interface Selection {

  /** The chosen exit, or empty. */
  Optional<ExitView> chosenExit();

  /** Why a pool of the chain could not serve the request. */
  enum Reason {
    /** No pool with that name. */
    UNKNOWN_POOL("unknown-pool"),
    /** The pool has no exits at all. */
    EMPTY_POOL("empty-pool"),
    /**
     * No exit of the pool is in the requested country (never a fallback to other countries or
     * pools).
     */
    NO_EXIT_IN_COUNTRY("no-exit-in-country"),
    /** Exits (in the country) exist, but every one is UNHEALTHY or DISABLED. */
    NONE_HEALTHY("none-healthy"),
    /** Selectable exits exist, but every one was excluded by the request (retries used them up). */
    ALL_EXCLUDED("all-excluded");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** Kebab-case code for logs and metrics. */
    public String code() {
      return code;
    }

    @Override
    public String toString() {
      return code;
    }
  }

  /** One pool of the fallback chain that could not serve, and why. */
  record Attempt(String pool, Reason reason) {
    @Override
    public String toString() {
      return pool + ": " + reason.code();
    }
  }

  /**
   * An exit was chosen.
   *
   * @param exit the exit
   * @param pool the pool that served it (the requested pool or one of its fallbacks)
   * @param skipped pools tried before it without success (empty when the requested pool served)
   */
  record Chosen(ExitView exit, String pool, List<Attempt> skipped) implements Selection {
    public Chosen {
      skipped = List.copyOf(skipped);
    }

    @Override
    public Optional<ExitView> chosenExit() {
      return Optional.of(exit);
    }

    /** Whether a fallback pool served the request. */
    public boolean viaFallback() {
      return !skipped.isEmpty();
    }
  }

  /**
   * No exit is available.
   *
   * @param reason why the requested pool could not serve (the first attempt's reason)
   * @param pool the requested pool
   * @param attempts every pool tried, in chain order (at least one)
   */
  record Unavailable(Reason reason, String pool, List<Attempt> attempts) implements Selection {
    public Unavailable {
      attempts = List.copyOf(attempts);
    }

    @Override
    public Optional<ExitView> chosenExit() {
      return Optional.empty();
    }

    /** For logs: {@code none-healthy (residential: none-healthy, backup: all-excluded)}. */
    public String describe() {
      return reason.code()
          + " ("
          + attempts.stream().map(Attempt::toString).collect(Collectors.joining(", "))
          + ")";
    }
  }
}
