package io.sluice.gateway;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the {@link CachingAuthenticator}'s account data is fresh: {@code fresh} while the
 * database answers, {@code stale} from the first load that fails or times out (the authenticator
 * then answers from what it knew), {@code expired} once the outage is older than {@code staleMax}
 * (new sessions are refused). While stale, a load reaches the database at most once every retry
 * interval, one at a time; the first load that succeeds makes it fresh again. One log line per
 * state change, under the authenticator's logger name.
 */
final class DataFreshness {

  /** The authenticator's logger: these lines are its state changes, and log settings name it. */
  private static final Logger LOG = System.getLogger(CachingAuthenticator.class.getName());

  /** What a load of one user should do now. */
  enum Attempt {
    /** Fresh: load from the database. */
    LOAD,
    /** Stale and a retry is due: this load is the one probe; call {@link #probeDone} after it. */
    PROBE,
    /** Stale, no retry due or another probe running: answer from what is known. */
    FROM_MEMORY
  }

  private final Clock clock;
  private final Duration staleMax;
  private final Duration retryInterval;

  /** When the database stopped answering (null while it answers). */
  private volatile Instant staleSince;

  private volatile Instant lastAttempt = Instant.EPOCH;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final AtomicBoolean expiredLogged = new AtomicBoolean();

  DataFreshness(Clock clock, Duration staleMax, Duration retryInterval) {
    this.clock = clock;
    this.staleMax = staleMax;
    this.retryInterval = retryInterval;
  }

  /** True from the first failed load until the next one that succeeds. */
  boolean isStale() {
    return staleSince != null;
  }

  /** Seconds since the database stopped answering; 0 while it answers. */
  long staleSeconds() {
    Instant since = staleSince;
    return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toSeconds());
  }

  /** {@code fresh}, {@code stale} (serving what it knew) or {@code expired} (past staleMax). */
  String state() {
    Instant since = staleSince;
    if (since == null) {
      return "fresh";
    }
    return expired(clock.instant()) ? "expired" : "stale";
  }

  /** Whether the database has not answered for more than {@code staleMax} at {@code now}. */
  boolean expired(Instant now) {
    Instant since = staleSince;
    return since != null && Duration.between(since, now).compareTo(staleMax) > 0;
  }

  /**
   * As {@link #expired}, for a caller about to refuse a new session because of it: the first such
   * refusal of an outage is logged.
   */
  boolean expiredRefusing(Instant now) {
    if (!expired(now)) {
      return false;
    }
    if (expiredLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.ERROR,
          "SLUICE0705E: the database has not answered for more than {0} s: new proxy sessions are"
              + " refused until it does",
          staleMax.toSeconds());
    }
    return true;
  }

  /**
   * Decides a load of one user at {@code now}: while stale, one probe at a time tries the database
   * once the retry interval has passed; everyone else is answered at once from what was known.
   */
  Attempt begin(Instant now) {
    if (staleSince != null
        && (now.isBefore(lastAttempt.plus(retryInterval)) || !probing.compareAndSet(false, true))) {
      return Attempt.FROM_MEMORY;
    }
    boolean probe = staleSince != null;
    lastAttempt = now;
    return probe ? Attempt.PROBE : Attempt.LOAD;
  }

  /** The probe {@link #begin} handed out has finished (either way). */
  void probeDone() {
    probing.set(false);
  }

  /** Whether, at {@code now}, the data is stale and the retry interval has not passed yet. */
  boolean retryNotDue(Instant now) {
    return staleSince != null && now.isBefore(lastAttempt.plus(retryInterval));
  }

  /** A load (not counted as a probe) is trying the database at {@code now}. */
  void attempted(Instant now) {
    lastAttempt = now;
  }

  /** A load failed or timed out: stale from now, unless already. */
  void markStale(Throwable cause) {
    if (staleSince == null) {
      synchronized (this) {
        if (staleSince == null) {
          staleSince = clock.instant();
          expiredLogged.set(false);
          LOG.log(
              Level.WARNING,
              "SLUICE0703W: the database does not answer ({0}): proxy authentication serves the"
                  + " last known accounts for up to {1} s",
              new Object[] {rootMessage(cause), staleMax.toSeconds()});
        }
      }
    }
  }

  /** A load succeeded: fresh again. */
  void markFresh() {
    Instant since = staleSince;
    if (since != null) {
      synchronized (this) {
        if (staleSince != null) {
          LOG.log(
              Level.INFO,
              "SLUICE0704I: the database answers again: proxy authentication is fresh after {0} s"
                  + " of serving the last known accounts",
              Duration.between(staleSince, clock.instant()).toSeconds());
          staleSince = null;
        }
      }
    }
  }

  /** The innermost cause as {@code SimpleName: message}. */
  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
