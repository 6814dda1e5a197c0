package io.sluice.audit.app;

import io.sluice.audit.domain.AuditEventRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link AuditEventRepository} in a list, with the SQL implementation's filter semantics (target:
 * substring with {@code %} and {@code _} dropped; from inclusive, to exclusive).
 */
final class InMemoryAuditEventRepository implements AuditEventRepository {

  final List<StoredEvent> rows = new ArrayList<>();
  boolean failAppends;
  Boolean lastDeleteOnPostgres;
  private long nextId = 1;

  @Override
  public void append(NewEvent e) {
    if (failAppends) {
      throw new IllegalStateException("database unavailable");
    }
    rows.add(
        new StoredEvent(
            nextId++,
            e.at(),
            e.actor(),
            e.sourceIp(),
            e.action(),
            e.target(),
            e.outcome(),
            e.requestId(),
            e.detail()));
  }

  @Override
  public long count(Filter filter) {
    return rows.stream().filter(matches(filter)).count();
  }

  @Override
  public List<StoredEvent> page(Filter filter, int page, int size) {
    return rows.stream()
        .filter(matches(filter))
        .sorted(Comparator.comparing(StoredEvent::at).thenComparing(StoredEvent::id).reversed())
        .skip((long) page * size)
        .limit(size)
        .toList();
  }

  @Override
  public int deleteOlderThan(Instant cutoff, boolean postgres) {
    lastDeleteOnPostgres = postgres;
    int before = rows.size();
    rows.removeIf(e -> e.at().isBefore(cutoff));
    return before - rows.size();
  }

  private static Predicate<StoredEvent> matches(Filter f) {
    return e ->
        (f.actor() == null || f.actor().equals(e.actor()))
            && (f.action() == null || f.action().equals(e.action()))
            && (f.target() == null
                || (e.target() != null
                    && e.target().contains(f.target().replace("%", "").replace("_", ""))))
            && (f.from() == null || !e.at().isBefore(f.from()))
            && (f.to() == null || e.at().isBefore(f.to()));
  }
}
