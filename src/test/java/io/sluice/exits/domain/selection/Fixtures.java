package io.sluice.exits.domain.selection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Builders shared by the exit-selection tests. */
final class Fixtures {

  private Fixtures() {}

  static ExitView exit(long id) {
    return new ExitView(id, ExitView.SOCKS5, null, ExitState.HEALTHY, null);
  }

  static ExitView exit(long id, String country) {
    return new ExitView(id, ExitView.SOCKS5, country, ExitState.HEALTHY, null);
  }

  static ExitView exit(long id, ExitState state) {
    return new ExitView(id, ExitView.SOCKS5, null, state, null);
  }

  static ExitView exit(long id, Long latency) {
    return new ExitView(id, ExitView.SOCKS5, null, ExitState.HEALTHY, latency);
  }

  /** Healthy exits with ids from..to inclusive. */
  static List<ExitView> exits(long from, long to) {
    List<ExitView> list = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      list.add(exit(id));
    }
    return list;
  }

  static ExitDirectory directory(PoolSnapshot... pools) {
    return new ExitDirectory(List.of(pools), ConnectionCounts.NONE, new StickySessions());
  }

  static SelectionRequest request() {
    return SelectionRequest.of(7L, "example.com", 443);
  }

  static SelectionRequest toDestination(String host, int port) {
    return SelectionRequest.of(7L, host, port);
  }

  static SelectionRequest inCountry(String country) {
    return new SelectionRequest(7L, null, null, country, "example.com", 443, Set.of());
  }

  static SelectionRequest excluding(Long... ids) {
    return new SelectionRequest(7L, null, null, null, "example.com", 443, Set.of(ids));
  }

  static SelectionRequest session(Long userId, String key, Duration ttl) {
    return new SelectionRequest(userId, key, ttl, null, "example.com", 443, Set.of());
  }

  static long chosenId(Selection s) {
    return s.chosenExit().orElseThrow(() -> new AssertionError("no exit: " + s)).id();
  }

  /** Connection counts the test sets by hand. */
  static final class Counts implements ConnectionCounts {
    final Map<Long, Integer> active = new ConcurrentHashMap<>();

    @Override
    public int active(long exitId) {
      return active.getOrDefault(exitId, 0);
    }
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-22T01:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
