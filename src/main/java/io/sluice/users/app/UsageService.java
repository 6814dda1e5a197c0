package io.sluice.users.app;

import io.sluice.users.domain.UsageRecorder;
import io.sluice.users.domain.UsageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Persists per-user usage in batches: each flush adds this node's deltas to the totals with
 * additive UPDATEs (INSERT for a user's first row), so several nodes can flush concurrently without
 * losing counts. Deltas that fail to write are put back for the next flush.
 */
@ApplicationScoped
public class UsageService {

  private static final Logger LOG = System.getLogger(UsageService.class.getName());

  /** A user's totals: persisted plus not yet flushed on this node. */
  public record Usage(
      long userId, long bytesUp, long bytesDown, long connections, Instant lastSeenAt) {}

  private final UsageRecorder recorder = new UsageRecorder();

  @Inject UsageRepository store;

  public UsageRecorder recorder() {
    return recorder;
  }

  public void flush() {
    Map<Long, UsageRecorder.Delta> deltas = recorder.drain();
    if (deltas.isEmpty()) {
      return;
    }
    try {
      store.addAll(deltas, Instant.now());
    } catch (UsageRepository.WriteFailed e) {
      recorder.restore(deltas);
      LOG.log(Level.WARNING, "SLUICE0210W: usage flush failed, will retry: {0}", e.getMessage());
    }
  }

  public Usage usage(long userId) {
    UsageRecorder.Delta pending = recorder.pending(userId);
    Optional<UsageRepository.Totals> stored = store.totals(userId);
    long up = pending.bytesUp() + stored.map(UsageRepository.Totals::bytesUp).orElse(0L);
    long down = pending.bytesDown() + stored.map(UsageRepository.Totals::bytesDown).orElse(0L);
    long conns = pending.connections() + stored.map(UsageRepository.Totals::connections).orElse(0L);
    return new Usage(
        userId, up, down, conns, stored.map(UsageRepository.Totals::lastSeenAt).orElse(null));
  }
}
