package io.sluice.users.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Persisted per-user usage totals (table {@code proxy_user_usage}). */
public interface UsageRepository {

  /** A user's persisted totals. */
  record Totals(long bytesUp, long bytesDown, long connections, Instant lastSeenAt) {}

  /** A batch could not be written; nothing of it was added. The message is the database's. */
  final class WriteFailed extends RuntimeException {
    public WriteFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Adds every delta to its user's totals in one transaction of its own (a user's first row is
   * inserted; users that no longer exist are skipped), stamping {@code lastSeenAt} with {@code
   * now}.
   *
   * @throws WriteFailed when the batch was rolled back
   */
  void addAll(Map<Long, UsageRecorder.Delta> deltas, Instant now);

  /** The user's persisted totals, if any were written. */
  Optional<Totals> totals(long userId);
}
