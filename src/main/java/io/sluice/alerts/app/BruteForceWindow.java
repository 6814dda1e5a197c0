package io.sluice.alerts.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed logins and lockouts per source address seen by this node within a sliding window. At most
 * {@value #MAX_SOURCES} sources and {@value #MAX_PER_SOURCE} times per source are kept, so a flood
 * cannot grow it without bound.
 */
final class BruteForceWindow {

  static final int MAX_SOURCES = 10_000;
  static final int MAX_PER_SOURCE = 1_000;

  private final Map<String, Deque<Instant>> seen = new HashMap<>();

  /** Counts one failure; returns the number within the window ending now. */
  synchronized int add(String source, Instant now, Duration window) {
    if (!seen.containsKey(source) && seen.size() >= MAX_SOURCES) {
      prune(now, window);
      if (seen.size() >= MAX_SOURCES) {
        return 0;
      }
    }
    Deque<Instant> times = seen.computeIfAbsent(source, k -> new ArrayDeque<>());
    times.addLast(now);
    if (times.size() > MAX_PER_SOURCE) {
      times.removeFirst();
    }
    return count(times, now, window);
  }

  /** Sources whose count within the window fell below {@code threshold} (and forgets them). */
  synchronized List<String> quiet(Instant now, Duration window, double threshold) {
    prune(now, window);
    List<String> out =
        seen.entrySet().stream()
            .filter(e -> e.getValue().size() < threshold)
            .map(Map.Entry::getKey)
            .toList();
    out.forEach(seen::remove);
    return out;
  }

  private void prune(Instant now, Duration window) {
    seen.values().forEach(d -> count(d, now, window));
  }

  private static int count(Deque<Instant> times, Instant now, Duration window) {
    Instant from = now.minus(window);
    while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
      times.removeFirst();
    }
    return times.size();
  }
}
