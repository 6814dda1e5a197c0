package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.crypto.SecretBox;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExitServiceTest {

  private final SecretBox box = new SecretBox(SecretBox.newKey());
  private InMemoryExitRepository repo;
  private RecordingEvent<ExitsChanged> changed;
  private ExitService service;

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitRepository();
    changed = new RecordingEvent<>();
    service = new ExitService();
    service.repo = repo;
    service.changed = changed;
    service.keys =
        new ServerKeys() {
          @Override
          public SecretBox box() {
            return box;
          }
        };
  }

  private static Map<String, Object> in(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static ApiException failure(Runnable call) {
    ApiException e = catchThrowableOfType(ApiException.class, call::run);
    assertThat(e).as("an ApiException").isNotNull();
    return e;
  }

  @Test
  void createsAnExitHealthyAndEnabledAndAnnouncesIt() {
    ExitService.ExitView v =
        service.create(
            in(
                "name",
                "de-1",
                "kind",
                "socks5",
                "host",
                "10.0.0.1",
                "port",
                1080L,
                "country",
                "DE"));

    assertThat(v.id()).isPositive();
    assertThat(v.state()).isEqualTo("healthy");
    assertThat(v.enabled()).isTrue();
    assertThat(v.country()).isEqualTo("de");
    assertThat(v.port()).isEqualTo(1080);
    assertThat(v.hasPassword()).isFalse();
    assertThat(v.pools()).isEmpty();
    assertThat(repo.exitByName("de-1")).isPresent();
    assertThat(changed.fired).containsExactly(new ExitsChanged("exit"));
  }

  @Test
  void sealsThePasswordAndNeverShowsIt() {
    ExitService.ExitView v =
        service.create(
            in(
                "name",
                "up",
                "kind",
                "http",
                "host",
                "proxy.example",
                "port",
                3128L,
                "username",
                "u",
                "password",
                "s3cret"));

    ExitNodeEntity stored = repo.exit(v.id()).orElseThrow();
    assertThat(v.hasPassword()).isTrue();
    assertThat(stored.passwordEnc).isNotNull().doesNotContain("s3cret");
    assertThat(box.openString(ExitService.PASSWORD_PURPOSE, stored.passwordEnc))
        .isEqualTo("s3cret");
  }

  @Test
  void reportsEveryInvalidFieldAndStoresNothing() {
    ApiException e =
        failure(() ->
            service.create(
                in(
                    "name",
                    "direct",
                    "kind",
                    "ftp",
                    "port",
                    70000L,
                    "country",
                    "deu",
                    "checkUrl",
                    "ftp://echo",
                    "localAddress",
                    "not-an-ip")));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors())
        .extracting(ApiException.FieldError::field)
        .contains("name", "kind", "port", "country", "checkUrl", "localAddress");
    assertThat(repo.exits).isEmpty();
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void checkUrlsMayBeHttpOrHttps() {
    assertThat(
            service
                .create(in("name", "h", "kind", "direct", "checkUrl", "http://echo.example/ip"))
                .checkUrl())
        .isEqualTo("http://echo.example/ip");
    assertThat(
            service
                .create(in("name", "s", "kind", "direct", "checkUrl", "https://ip.decodo.com/json"))
                .checkUrl())
        .isEqualTo("https://ip.decodo.com/json");
  }

  @Test
  void upstreamExitsNeedHostAndPort() {
    ApiException e = failure(() -> service.create(in("name", "s", "kind", "socks5")));

    assertThat(e.errors()).extracting(ApiException.FieldError::field).containsExactly("host");
    assertThat(service.create(in("name", "d", "kind", "direct")).kind()).isEqualTo("direct");
  }

  @Test
  void aDuplicateNameIsAConflict() {
    service.create(in("name", "dup", "kind", "direct"));
    changed.fired.clear();

    ApiException e = failure(() -> service.create(in("name", "dup", "kind", "direct")));

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.getMessage()).contains("dup");
    assertThat(repo.exits).hasSize(1);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void settingTheStateByHandRestartsTheHysteresis() {
    long id = service.create(in("name", "x", "kind", "direct")).id();
    ExitNodeEntity e = repo.exit(id).orElseThrow();
    e.consecutiveFailures = 2;
    e.consecutiveSuccesses = 1;
    Instant before = e.updatedAt;

    ExitService.ExitView v = service.update(id, in("state", "unhealthy", "enabled", false));

    assertThat(v.state()).isEqualTo("unhealthy");
    assertThat(v.enabled()).isFalse();
    assertThat(e.consecutiveFailures).isZero();
    assertThat(e.consecutiveSuccesses).isZero();
    assertThat(e.updatedAt).isAfterOrEqualTo(before);
    assertThat(changed.fired).hasSize(2);
  }

  @Test
  void anInvalidUpdateChangesNothingVisibleAndFiresNothing() {
    long id = service.create(in("name", "x", "kind", "direct")).id();
    changed.fired.clear();

    ApiException e = failure(() -> service.update(id, in("state", "broken")));

    assertThat(e.errors()).extracting(ApiException.FieldError::field).containsExactly("state");
    assertThat(repo.exit(id).orElseThrow().state).isEqualTo(ExitState.HEALTHY);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void unknownExitsAreNotFound() {
    assertThat(failure(() -> service.get(42)).status()).isEqualTo(404);
    assertThat(failure(() -> service.update(42, in("enabled", true))).status()).isEqualTo(404);
    assertThat(failure(() -> service.delete(42)).status()).isEqualTo(404);
  }

  @Test
  void deleteTakesTheExitOutOfItsPools() {
    long keep = service.create(in("name", "keep", "kind", "direct")).id();
    long gone = service.create(in("name", "gone", "kind", "direct")).id();
    ExitPoolEntity pool = pool("main", keep, gone);
    changed.fired.clear();

    service.delete(gone);

    assertThat(repo.exit(gone)).isEmpty();
    assertThat(pool.members).extracting(m -> m.id).containsExactly(keep);
    assertThat(changed.fired).containsExactly(new ExitsChanged("exit"));
  }

  @Test
  void viewsNameThePoolsAndListsFilterByPool() {
    long a = service.create(in("name", "a", "kind", "direct")).id();
    service.create(in("name", "b", "kind", "direct"));
    pool("main", a);

    assertThat(service.get(a).pools()).containsExactly("main");
    var page = service.list("main", null, null, null, 0, 10);
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.items()).extracting(ExitService.ExitView::name).containsExactly("a");
    assertThat(service.list(null, null, null, null, 0, 1).total()).isEqualTo(2);
  }

  @Test
  void listRejectsABadPage() {
    assertThat(failure(() -> service.list(null, null, null, null, -1, 10)).errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("page");
    assertThat(failure(() -> service.list(null, null, null, null, 0, 501)).errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("size");
  }

  private ExitPoolEntity pool(String name, long... members) {
    ExitPoolEntity p = new ExitPoolEntity();
    p.name = name;
    p.strategy = "round-robin";
    for (long m : members) {
      p.members.add(repo.exit(m).orElseThrow());
    }
    return repo.insert(p);
  }
}
