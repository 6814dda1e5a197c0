package io.sluice.tor.app;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * When a draining node may stop: as soon as no live session uses its exit any more, and at the
 * latest at its deadline ({@code sluice.tor.drain-seconds} after the drain began).
 */
final class Drains {

  private Drains() {}

  /**
   * The indexes among {@code deadlines} (node index to the latest time it may stop) that may stop
   * at {@code now}, given {@code liveSessions} per index; in index order.
   */
  static List<Integer> finished(
      Map<Integer, Instant> deadlines, Instant now, IntUnaryOperator liveSessions) {
    return deadlines.entrySet().stream()
        .filter(e -> !now.isBefore(e.getValue()) || liveSessions.applyAsInt(e.getKey()) == 0)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
