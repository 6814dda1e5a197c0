package io.sluice.audit.app;

import io.sluice.audit.domain.AuditEventRepository;
import io.sluice.audit.domain.AuditEventRepository.Filter;
import io.sluice.audit.domain.AuditEventRepository.NewEvent;
import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;

/**
 * Appends audit events in their own transaction (so a failed, rolled-back admin call is still
 * recorded) and answers filtered, paged queries. There is no update or delete here; on PostgreSQL a
 * trigger rejects both (except the retention job's deletes).
 */
@ApplicationScoped
public class AuditService {

  private static final Logger LOG = System.getLogger(AuditService.class.getName());

  @Inject AuditEventRepository events;
  @Inject AuditWriter writer;

  /** One event as the API shows it. */
  public record Event(
      long id,
      Instant at,
      String actor,
      String sourceIp,
      String action,
      String target,
      String outcome,
      String requestId,
      String detail) {}

  /** Records one event in a transaction of its own (through {@link AuditWriter}). */
  public void record(String actor, String action, String target, String outcome, String detail) {
    RequestContext.Info ctx = RequestContext.get();
    writer.append(
        new NewEvent(
            Instant.now(),
            cut(actor, 128),
            ctx.sourceIp(),
            cut(action, 64),
            cut(target, 300),
            outcome,
            ctx.requestId(),
            cut(detail, 1000)));
  }

  /** Records, logging instead of failing the caller when the audit write itself fails. */
  public void recordQuietly(
      String actor, String action, String target, String outcome, String detail) {
    try {
      record(actor, action, target, outcome, detail);
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "SLUICE0040E: audit event not written (" + action + " " + target + "): " + e.getMessage(),
          e);
    }
  }

  @Transactional
  public Page<Event> query(
      String actor, String action, String target, Instant from, Instant to, int page, int size) {
    if (page < 0) {
      throw ApiException.validation("page", "must be 0 or greater");
    }
    if (size < 1 || size > 500) {
      throw ApiException.validation("size", "must be between 1 and 500");
    }
    Filter filter = new Filter(actor, action, target, from, to);
    long total = events.count(filter);
    List<Event> items =
        events.page(filter, page, size).stream()
            .map(e ->
                new Event(
                    e.id(),
                    e.at(),
                    e.actor(),
                    e.sourceIp(),
                    e.action(),
                    e.target(),
                    e.outcome(),
                    e.requestId(),
                    e.detail()))
            .toList();
    return new Page<>(items, page, size, total);
  }

  /** Deletes events older than {@code cutoff}; returns how many. The deletion is itself audited. */
  @Transactional
  public int purgeOlderThan(Instant cutoff, boolean postgres) {
    return events.deleteOlderThan(cutoff, postgres);
  }

  private static String cut(String s, int max) {
    return s == null ? null : s.length() > max ? s.substring(0, max) : s;
  }
}
