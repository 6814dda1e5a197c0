package io.sluice.vms.app;

import io.sluice.vms.domain.InMemoryAllocationStore;
import io.sluice.vms.domain.InMemoryPoolRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** An {@link AddressPoolService} on in-memory stores with a clock the test moves. */
final class Pools {

  /** A clock that stands still until moved. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

    void advance(long seconds) {
      now = now.plusSeconds(seconds);
    }
  }

  final InMemoryPoolRepository repo = new InMemoryPoolRepository();
  final InMemoryAllocationStore store = new InMemoryAllocationStore(repo);
  final TestClock clock = new TestClock();
  final AddressPoolService service = new AddressPoolService();

  Pools() {
    service.pools = repo;
    service.store = store;
    service.clock = clock;
  }
}
