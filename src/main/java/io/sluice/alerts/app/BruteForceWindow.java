package io.sluice.alerts.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Failed logins and lockouts per source address seen by this node within a sliding window. At most
 * {@value #MAX_SOURCES} sources and {@value #MAX_PER_SOURCE} times per source are kept, so a flood
 * cannot grow it without bound.
 */
final class BruteForceWindow {

  static final int MAX_SOURCES = 10_000;
  static final int MAX_PER_SOURCE = 1_000;

  private final Map<String, Deque<Instant>> seen = new HashMap<>();
  private final Set<String> raised = new HashSet<>();

  /**
   * Counts one failure; returns the number within the window ending now. A source reaching {@code
   * threshold} is remembered as raised until {@link #quiet} reports it.
   */
  synchronized int add(String source, Instant now, Duration window, double threshold) {
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
    int n = count(times, now, window);
    if (n >= threshold) {
      raised.add(source);
    }
    return n;
  }

  /** Raised sources whose count within the window fell below {@code threshold} (reported once). */
  synchronized List<String> quiet(Instant now, Duration window, double threshold) {
    List<String> out = new ArrayList<>();
    for (String source : List.copyOf(raised)) {
      Deque<Instant> times = seen.get(source);
      if (times == null || count(times, now, window) < threshold) {
        out.add(source);
        raised.remove(source);
      }
    }
    prune(now, window);
    return out;
  }

  /** Drops times outside the window, and sources left with none that are not raised. */
  private void prune(Instant now, Duration window) {
    seen.entrySet()
        .removeIf(e -> count(e.getValue(), now, window) == 0 && !raised.contains(e.getKey()));
  }

  private static int count(Deque<Instant> times, Instant now, Duration window) {
    Instant from = now.minus(window);
    while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
      times.removeFirst();
    }
    return times.size();
  }
}
