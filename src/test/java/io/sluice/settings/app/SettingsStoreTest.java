package io.sluice.settings.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link SettingsStore}: upsert, put-if-absent and the 5-second read cache. */
class SettingsStoreTest {

  private static final long SECOND = 1_000_000_000L;

  private final InMemorySettingRepository rows = new InMemorySettingRepository();
  private final SettingsStore store = new SettingsStore();
  private long now = 1_000 * SECOND;

  {
    store.rows = rows;
    store.nanoTime = () -> now;
  }

  @Test
  void putInsertsThenUpdatesAndIsReadAtOnce() {
    store.put("a", "1", "alice");
    store.put("a", "2", "bob");

    assertThat(rows.rows.get("a").value()).isEqualTo("2");
    assertThat(rows.rows.get("a").actor()).isEqualTo("bob");
    assertThat(rows.rows.get("a").at()).isBeforeOrEqualTo(Instant.now());
    assertThat(store.get("a")).contains("2");
    assertThat(rows.reads).isZero();
  }

  @Test
  void putIfAbsentKeepsAnExistingValue() {
    store.putIfAbsent("a", "env", "environment");
    store.putIfAbsent("a", "other", "environment");

    assertThat(rows.rows.get("a").value()).isEqualTo("env");
    assertThat(store.get("a")).contains("env");
  }

  @Test
  void readsAreCachedForFiveSeconds() {
    assertThat(store.get("a")).isEmpty();
    rows.insert("a", "from another node", "bob", Instant.now());

    now += 5 * SECOND;
    assertThat(store.get("a")).isEmpty();
    now += 1;
    assertThat(store.get("a")).contains("from another node");
    assertThat(rows.reads).isEqualTo(2);
  }

  @Test
  void aFailedReadKeepsTheLastValue() {
    store.put("a", "1", "alice");
    rows.failReads = true;

    now += 6 * SECOND;
    assertThat(store.get("a")).contains("1");
    assertThat(store.get("missing")).isEmpty();
    assertThat(rows.reads).isEqualTo(2);
  }
}
