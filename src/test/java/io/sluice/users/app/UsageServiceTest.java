package io.sluice.users.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link UsageService}: flushing deltas, keeping them on failure, totals with pending counts. */
class UsageServiceTest {

  private final InMemoryUsageRepository store = new InMemoryUsageRepository();
  private final UsageService service = new UsageService();

  {
    service.store = store;
  }

  @Test
  void flushAddsDeltasAndUsageIncludesWhatIsStillPending() {
    service.recorder().connection(1);
    service.recorder().bytes(1, 100, 1000);
    service.flush();
    service.recorder().bytes(1, 5, 7);

    UsageService.Usage u = service.usage(1);

    assertThat(store.rows.get(1L).bytesUp()).isEqualTo(100);
    assertThat(u.bytesUp()).isEqualTo(105);
    assertThat(u.bytesDown()).isEqualTo(1007);
    assertThat(u.connections()).isEqualTo(1);
    assertThat(u.lastSeenAt()).isNotNull();
  }

  @Test
  void aFailedFlushKeepsTheDeltasForTheNextOne() {
    service.recorder().bytes(2, 10, 20);
    store.failNext = true;

    service.flush();
    assertThat(store.rows).isEmpty();
    service.flush();

    assertThat(store.rows.get(2L).bytesUp()).isEqualTo(10);
    assertThat(store.rows.get(2L).bytesDown()).isEqualTo(20);
    assertThat(service.recorder().pending(2).isZero()).isTrue();
  }

  @Test
  void aUserWithoutTrafficHasZeroUsage() {
    UsageService.Usage u = service.usage(3);
    assertThat(u.bytesUp() + u.bytesDown() + u.connections()).isZero();
    assertThat(u.lastSeenAt()).isNull();
  }
}
