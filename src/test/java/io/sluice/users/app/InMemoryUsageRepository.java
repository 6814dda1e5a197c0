package io.sluice.users.app;

import io.sluice.users.domain.UsageRecorder;
import io.sluice.users.domain.UsageRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link UsageRepository} in a map; {@code failNext} makes the next batch fail as a whole. */
final class InMemoryUsageRepository implements UsageRepository {

  final Map<Long, Totals> rows = new HashMap<>();
  boolean failNext;

  @Override
  public void addAll(Map<Long, UsageRecorder.Delta> deltas, Instant now) {
    if (failNext) {
      failNext = false;
      throw new WriteFailed("connection reset", null);
    }
    deltas.forEach((user, d) ->
        rows.merge(
            user,
            new Totals(d.bytesUp(), d.bytesDown(), d.connections(), now),
            (old, add) ->
                new Totals(
                    old.bytesUp() + add.bytesUp(),
                    old.bytesDown() + add.bytesDown(),
                    old.connections() + add.connections(),
                    now)));
  }

  @Override
  public Optional<Totals> totals(long userId) {
    return Optional.ofNullable(rows.get(userId));
  }
}
