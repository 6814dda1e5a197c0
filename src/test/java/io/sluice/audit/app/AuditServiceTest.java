package io.sluice.audit.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.audit.domain.AuditEventRepository.StoredEvent;
import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.RequestContext;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AuditService} and {@link AuditRetention} against an in-memory audit log. */
class AuditServiceTest {

  private final InMemoryAuditEventRepository log = new InMemoryAuditEventRepository();
  private final AuditService audit = new AuditService();

  {
    AuditWriter writer = new AuditWriter();
    writer.events = log;
    audit.writer = writer;
    audit.events = log;
  }

  @AfterEach
  void clearContext() {
    RequestContext.clear();
  }

  @Test
  void recordCarriesTheRequestContextAndCutsLongFields() {
    RequestContext.set(new RequestContext.Info("req-1", "192.0.2.7"));

    audit.record("a".repeat(200), "users.create", "t".repeat(400), "success", "d".repeat(2000));

    assertThat(log.rows).hasSize(1);
    StoredEvent e = log.rows.get(0);
    assertThat(e.actor()).hasSize(128);
    assertThat(e.action()).isEqualTo("users.create");
    assertThat(e.target()).hasSize(300);
    assertThat(e.detail()).hasSize(1000);
    assertThat(e.outcome()).isEqualTo("success");
    assertThat(e.requestId()).isEqualTo("req-1");
    assertThat(e.sourceIp()).isEqualTo("192.0.2.7");
    assertThat(e.at()).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void recordFailsLoudlyButRecordQuietlyDoesNot() {
    log.failAppends = true;

    assertThatThrownBy(() -> audit.record("alice", "x", "y", "success", null))
        .isInstanceOf(IllegalStateException.class);
    assertThatNoException()
        .isThrownBy(() -> audit.recordQuietly("alice", "x", "y", "success", null));

    log.failAppends = false;
    audit.recordQuietly(null, "exports.download", "export:1", "failure", "revoked or expired");
    assertThat(log.rows).extracting(StoredEvent::action).containsExactly("exports.download");
    assertThat(log.rows.get(0).actor()).isNull();
  }

  @Test
  void queryFiltersAndPagesNewestFirst() {
    audit.record("alice", "users.create", "user:1", "success", null);
    audit.record("bob", "users.create", "user:2", "success", null);
    audit.record("alice", "users.delete", "user:12", "success", null);
    audit.record("alice", "users.create", "user:3", "failure", null);

    Page<AuditService.Event> alice = audit.query("alice", null, null, null, null, 0, 2);
    assertThat(alice.total()).isEqualTo(3);
    assertThat(alice.items())
        .extracting(AuditService.Event::target)
        .containsExactly("user:3", "user:12");
    assertThat(audit.query("alice", null, null, null, null, 1, 2).items())
        .extracting(AuditService.Event::target)
        .containsExactly("user:1");

    assertThat(audit.query(null, "users.create", "1", null, null, 0, 10).items())
        .extracting(AuditService.Event::target)
        .containsExactly("user:1");
    assertThat(audit.query(null, null, "user:1%", null, null, 0, 10).items())
        .extracting(AuditService.Event::target)
        .containsExactly("user:12", "user:1");
    assertThat(audit.query(null, null, null, Instant.now().plusSeconds(60), null, 0, 10).total())
        .isZero();
    assertThat(audit.query(null, null, null, null, Instant.now().plusSeconds(60), 0, 10).total())
        .isEqualTo(4);
  }

  @Test
  void queryRejectsBadPaging() {
    assertThatThrownBy(() -> audit.query(null, null, null, null, null, -1, 10))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors().get(0).field()).isEqualTo("page");
            });
    assertThatThrownBy(() -> audit.query(null, null, null, null, null, 0, 0))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("size"));
    assertThatThrownBy(() -> audit.query(null, null, null, null, null, 0, 501))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("size"));
  }

  @Test
  void retentionDeletesOldEventsAndAuditsThePurge() {
    log.rows.add(
        new StoredEvent(
            100,
            Instant.now().minus(Duration.ofDays(40)),
            "alice",
            null,
            "old",
            "t",
            "success",
            null,
            null));
    audit.record("bob", "recent", "t", "success", null);
    AuditRetention retention = new AuditRetention();
    retention.audit = audit;
    retention.retentionDays = 30;
    java.util.concurrent.atomic.AtomicBoolean holdsLease =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    retention.leases =
        new io.sluice.cluster.app.ClusterLeases() {
          @Override
          public boolean tryHold(String name, Duration ttl) {
            assertThat(name).isEqualTo("audit-retention");
            return holdsLease.get();
          }
        };

    retention.purge();
    assertThat(log.rows).as("another node holds the lease: nothing purged here").hasSize(2);

    holdsLease.set(true);
    retention.purge();

    assertThat(log.rows)
        .extracting(StoredEvent::action)
        .containsExactly("recent", "audit.retention");
    assertThat(log.rows.get(1).actor()).isEqualTo("system");
    assertThat(log.rows.get(1).detail()).isEqualTo("deleted 1 events older than 30 days");
    assertThat(log.lastDeleteOnPostgres).isFalse();

    retention.purge();
    assertThat(log.rows).hasSize(2);
  }
}
