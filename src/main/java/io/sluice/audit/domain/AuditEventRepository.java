package io.sluice.audit.domain;

import java.time.Instant;
import java.util.List;

/**
 * The append-only audit log (table {@code audit_event}). Callers own the transaction. There is no
 * update; deleting is only for retention.
 */
public interface AuditEventRepository {

  /** An event to append; the repository assigns the id. */
  record NewEvent(
      Instant at,
      String actor,
      String sourceIp,
      String action,
      String target,
      String outcome,
      String requestId,
      String detail) {}

  /** A stored event. */
  record StoredEvent(
      long id,
      Instant at,
      String actor,
      String sourceIp,
      String action,
      String target,
      String outcome,
      String requestId,
      String detail) {}

  /**
   * Which events a query selects; {@code null} fields do not restrict.
   *
   * @param actor equal to
   * @param action equal to
   * @param target contained in the target ({@code %} and {@code _} in it are dropped, not matched)
   * @param from at or after
   * @param to before
   */
  record Filter(String actor, String action, String target, Instant from, Instant to) {}

  void append(NewEvent event);

  long count(Filter filter);

  /** One page of matching events, newest first (ties: higher id first). */
  List<StoredEvent> page(Filter filter, int page, int size);

  /**
   * Deletes events older than {@code cutoff}; returns how many. On PostgreSQL ({@code postgres})
   * first lifts, for this transaction only, the trigger that otherwise rejects deletes.
   */
  int deleteOlderThan(Instant cutoff, boolean postgres);
}
