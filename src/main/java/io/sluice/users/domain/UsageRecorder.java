package io.sluice.users.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-user traffic and connection counts accumulated in memory on the event loops (cheap adders)
 * and drained in batches by the usage flusher, so totals reach the database every few seconds
 * instead of on every packet.
 */
public final class UsageRecorder {

  /** Counts added since the last drain for one user. */
  public record Delta(long bytesUp, long bytesDown, long connections) {
    public boolean isZero() {
      return bytesUp == 0 && bytesDown == 0 && connections == 0;
    }
  }

  private static final class Counters {
    final LongAdder up = new LongAdder();
    final LongAdder down = new LongAdder();
    final LongAdder connections = new LongAdder();
  }

  private final Map<Long, Counters> byUser = new ConcurrentHashMap<>();

  public void bytes(long userId, long up, long down) {
    Counters c = byUser.computeIfAbsent(userId, k -> new Counters());
    c.up.add(up);
    c.down.add(down);
  }

  public void connection(long userId) {
    byUser.computeIfAbsent(userId, k -> new Counters()).connections.increment();
  }

  /** Not yet drained counts of one user (for an up-to-date usage answer on this node). */
  public Delta pending(long userId) {
    Counters c = byUser.get(userId);
    return c == null
        ? new Delta(0, 0, 0)
        : new Delta(c.up.sum(), c.down.sum(), c.connections.sum());
  }

  /** Takes every non-zero delta; what arrives concurrently is kept for the next drain. */
  public Map<Long, Delta> drain() {
    Map<Long, Delta> out = new HashMap<>();
    byUser.forEach((user, c) -> {
      Delta d = new Delta(c.up.sumThenReset(), c.down.sumThenReset(), c.connections.sumThenReset());
      if (!d.isZero()) {
        out.put(user, d);
      }
    });
    return out;
  }

  /** Puts back deltas that could not be written, so nothing is lost on a database hiccup. */
  public void restore(Map<Long, Delta> deltas) {
    deltas.forEach((user, d) -> {
      Counters c = byUser.computeIfAbsent(user, k -> new Counters());
      c.up.add(d.bytesUp());
      c.down.add(d.bytesDown());
      c.connections.add(d.connections());
    });
  }
}
