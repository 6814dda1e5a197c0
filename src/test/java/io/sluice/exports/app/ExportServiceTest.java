package io.sluice.exports.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.audit.app.AuditService;
import io.sluice.exits.app.DedicatedPortService;
import io.sluice.exits.app.PoolService;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.users.app.ProxyUserService;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

/**
 * {@link ExportService} with in-memory links and stand-ins for the users, exits and audit services.
 */
class ExportServiceTest {

  private final InMemoryExportLinkRepository links = new InMemoryExportLinkRepository();
  private final List<String> audited = new ArrayList<>();
  private final AtomicLong downloadsCounted = new AtomicLong();
  private final ExportService service = new ExportService();

  {
    service.links = links;
    service.users =
        new ProxyUserService() {
          @Override
          public List<Login> usableLogins() {
            return List.of(new Login(1, "alice", "pw1"), new Login(2, "bob", "pw2"));
          }
        };
    service.pools =
        new PoolService() {
          @Override
          public boolean exists(String name) {
            return name.equals("eu");
          }
        };
    service.dedicated =
        new DedicatedPortService() {
          @Override
          public List<Assignment> all() {
            return List.of(new Assignment(2, 10002, null, "auto", Instant.now()));
          }
        };
    service.audit =
        new AuditService() {
          @Override
          public void recordQuietly(
              String actor, String action, String target, String outcome, String detail) {
            audited.add(action + " " + target + " " + outcome);
          }
        };
    service.keys =
        new ServerKeys() {
          @Override
          public byte[] derive(String purpose) {
            return new byte[32];
          }
        };
    service.metrics = metrics();
    service.publicHost = Optional.of("proxy.example");
    service.bind = "0.0.0.0";
    service.socksPort = 1080;
  }

  @Test
  void createValidatesEveryField() {
    assertThatThrownBy(() -> service.create("pools", "asia", "xml", 5L, 60L, "nonsense", "admin"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors())
                  .extracting(ApiException.FieldError::field)
                  .containsExactly("pool", "format", "ttlMinutes", "bindCidr");
            });
    assertThatThrownBy(() -> service.create("everything", null, "txt", null, 60L, null, "admin"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::field)
                    .containsExactly("scope"));
    assertThat(links.rows).isEmpty();
  }

  @Test
  void createStoresTheLinkAndListShowsItWithoutTheUrl() {
    ExportService.Link created =
        service.create("pools", "eu", "CSV", 10L, null, "10.0.0.0/8", "admin");

    assertThat(created.url()).startsWith("/export/");
    assertThat(created.format()).isEqualTo("csv");
    assertThat(created.expiresAt()).isAfter(Instant.now().plusSeconds(590));
    assertThat(service.list())
        .singleElement()
        .satisfies(l -> {
          assertThat(l.id()).isEqualTo(created.id());
          assertThat(l.pool()).isEqualTo("eu");
          assertThat(l.bindCidr()).isEqualTo("10.0.0.0/8");
          assertThat(l.createdBy()).isEqualTo("admin");
          assertThat(l.downloads()).isZero();
          assertThat(l.url()).isNull();
        });
  }

  @Test
  void downloadRendersTheUsersCountsAndAudits() {
    ExportService.Link link = service.create("pools", "eu", "txt", null, 60L, null, "admin");

    ExportService.Download d = service.download(token(link), "192.0.2.1");

    assertThat(new String(d.body(), StandardCharsets.UTF_8))
        .contains("proxy.example:1080:alice-pool-eu:pw1")
        .contains("proxy.example:1080:bob-pool-eu:pw2");
    assertThat(d.fileName()).isEqualTo("sluice-pools.txt");
    assertThat(links.rows.get(link.id()).downloads()).isEqualTo(1);
    assertThat(downloadsCounted).hasValue(1);
    assertThat(audited).containsExactly("exports.download export:" + link.id() + " success");
  }

  @Test
  void aDedicatedExportListsOnlyUsersWithAPort() {
    ExportService.Link link = service.create("dedicated", null, "txt", null, 60L, null, "admin");

    String body =
        new String(service.download(token(link), "192.0.2.1").body(), StandardCharsets.UTF_8);

    assertThat(body).contains("proxy.example:10002:bob:pw2").doesNotContain("alice");
  }

  @Test
  void downloadsAreRefusedWhenForgedRevokedOrFromOutsideTheBoundCidr() {
    assertThatThrownBy(() -> service.download("forged", "192.0.2.1"))
        .isInstanceOfSatisfying(
            ExportService.Refused.class, e -> assertThat(e.status).isEqualTo(404));

    ExportService.Link bound =
        service.create("users", null, "json", null, 60L, "10.0.0.0/8", "admin");
    assertThatThrownBy(() -> service.download(token(bound), "192.0.2.1"))
        .isInstanceOfSatisfying(
            ExportService.Refused.class, e -> assertThat(e.status).isEqualTo(403));
    assertThat(service.download(token(bound), "10.1.2.3").mediaType()).contains("json");

    ExportService.Link revoked = service.create("users", null, "txt", null, 60L, null, "admin");
    service.revoke(revoked.id());
    assertThatThrownBy(() -> service.download(token(revoked), "192.0.2.1"))
        .isInstanceOfSatisfying(
            ExportService.Refused.class, e -> assertThat(e.status).isEqualTo(410));
    assertThatThrownBy(() -> service.revoke(revoked.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));

    assertThat(links.rows.get(bound.id()).downloads()).isEqualTo(1);
    assertThat(links.rows.get(revoked.id()).downloads()).isZero();
    assertThat(audited)
        .extracting(a -> a.substring(a.lastIndexOf(' ') + 1))
        .containsExactly("failure", "success", "failure");
  }

  private static String token(ExportService.Link link) {
    return link.url().substring("/export/".length());
  }

  /** A registry whose every counter adds to {@link #downloadsCounted}; nothing else is used. */
  private MetricRegistry metrics() {
    Counter counter =
        (Counter)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Counter.class},
                (p, m, args) -> {
                  if (m.getName().equals("inc")) {
                    downloadsCounted.addAndGet(args == null ? 1 : (Long) args[0]);
                    return null;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    return (MetricRegistry)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (p, m, args) -> {
              if (m.getName().equals("counter")) {
                return counter;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }
}
