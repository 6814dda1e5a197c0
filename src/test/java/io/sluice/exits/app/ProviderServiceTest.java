package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderServiceTest {

  private InMemoryExitRepository repo;
  private InMemoryDedicatedRepository dedicated;
  private RecordingEvent<ExitsChanged> changed;
  private ProviderService service;

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitRepository();
    dedicated = new InMemoryDedicatedRepository(repo);
    changed = new RecordingEvent<>();
    service = new ProviderService();
    service.repo = repo;
    service.changed = changed;
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

  private static List<String> fields(ApiException e) {
    return e.errors().stream().map(ApiException.FieldError::field).toList();
  }

  private ExitPoolEntity pool(String name) {
    ExitPoolEntity p = new ExitPoolEntity();
    p.name = name;
    p.strategy = "sticky";
    return repo.insert(p);
  }

  private ProviderService.ProviderView provider(long from, long to) {
    return service.create(
        in(
            "name",
            "acme",
            "kind",
            "socks5",
            "host",
            "gw.acme.example",
            "portFrom",
            from,
            "portTo",
            to,
            "country",
            "NL"));
  }

  private List<String> exitNames(long providerId) {
    return repo.exitsOfProvider(providerId).stream().map(e -> e.name).toList();
  }

  @Test
  void createMakesOneExitPerPortInTheGivenPool() {
    ExitPoolEntity pool = pool("resi");

    ProviderService.ProviderView v =
        service.create(
            in(
                "name",
                "acme",
                "kind",
                "http",
                "host",
                "gw.acme.example",
                "portFrom",
                7000L,
                "portTo",
                7002L,
                "country",
                "NL",
                "pool",
                "resi"));

    assertThat(v.exits()).isEqualTo(3);
    assertThat(v.retired()).isZero();
    assertThat(v.checksPerSecond()).isEqualTo(50);
    assertThat(exitNames(v.id())).containsExactly("acme:7000", "acme:7001", "acme:7002");
    ExitNodeEntity first = repo.exitByName("acme:7000").orElseThrow();
    assertThat(first.kind).isEqualTo("http");
    assertThat(first.host).isEqualTo("gw.acme.example");
    assertThat(first.country).isEqualTo("nl");
    assertThat(first.state).isEqualTo(ExitState.HEALTHY);
    assertThat(first.enabled).isTrue();
    assertThat(pool.members).hasSize(3);
    assertThat(changed.fired).containsExactly(new ExitsChanged("provider"));
  }

  @Test
  void validatesKindAndRange() {
    ApiException e =
        failure(() ->
            service.create(
                in("name", "acme", "kind", "direct", "host", "h", "portFrom", 9L, "portTo", 8L)));
    assertThat(fields(e)).containsExactlyInAnyOrder("kind", "portFrom");

    ApiException tooWide =
        failure(() ->
            service.create(
                in(
                    "name",
                    "acme",
                    "kind",
                    "socks5",
                    "host",
                    "h",
                    "portFrom",
                    1L,
                    "portTo",
                    20_001L)));
    assertThat(fields(tooWide)).containsExactly("portTo");
    assertThat(repo.providers).isEmpty();
    assertThat(repo.exits).isEmpty();
  }

  @Test
  void aDuplicateNameIsAConflict() {
    provider(7000, 7000);

    assertThat(failure(() -> provider(8000, 8000)).status()).isEqualTo(409);
    assertThat(repo.providers).hasSize(1);
  }

  @Test
  void anExitAlreadyHavingAGeneratedNameIsAConflict() {
    ExitNodeEntity manual = new ExitNodeEntity();
    manual.name = "acme:7001";
    manual.kind = "direct";
    manual.state = ExitState.HEALTHY;
    repo.insert(manual);

    assertThat(failure(() -> provider(7000, 7001)).getMessage()).contains("acme:7001");
  }

  @Test
  void theNameCannotChange() {
    long id = provider(7000, 7000).id();

    assertThat(fields(failure(() -> service.update(id, in("name", "other")))))
        .containsExactly("name");
  }

  @Test
  void anUnknownPoolIsAValidationError() {
    assertThat(
            fields(
                failure(() ->
                    service.create(
                        in(
                            "name",
                            "acme",
                            "kind",
                            "socks5",
                            "host",
                            "h",
                            "portFrom",
                            1L,
                            "portTo",
                            1L,
                            "pool",
                            "nowhere")))))
        .containsExactly("pool");
  }

  @Test
  void shrinkingDeletesUnusedExitsAndRetiresAssignedOnes() {
    ExitPoolEntity pool = pool("resi");
    long id =
        service
            .create(
                in(
                    "name",
                    "acme",
                    "kind",
                    "socks5",
                    "host",
                    "h",
                    "portFrom",
                    7000L,
                    "portTo",
                    7003L,
                    "pool",
                    "resi"))
            .id();
    ExitNodeEntity pinned = repo.exitByName("acme:7003").orElseThrow();
    dedicated.put(1, 10001, pinned.id);

    ProviderService.ProviderView v = service.update(id, in("portTo", 7001L));

    assertThat(exitNames(id)).containsExactly("acme:7000", "acme:7001", "acme:7003");
    assertThat(pinned.retired).isTrue();
    assertThat(repo.exitByName("acme:7002")).isEmpty();
    assertThat(pool.members)
        .extracting(e -> e.name)
        .containsExactlyInAnyOrder("acme:7000", "acme:7001");
    assertThat(v.exits()).isEqualTo(2);
    assertThat(v.retired()).isEqualTo(1);
  }

  @Test
  void growingBackUnretiresAndSettingsReachEveryExit() {
    long id = provider(7000, 7001).id();
    ExitNodeEntity pinned = repo.exitByName("acme:7001").orElseThrow();
    dedicated.put(1, 10001, pinned.id);
    service.update(id, in("portTo", 7000L));

    ProviderService.ProviderView v =
        service.update(id, in("portTo", 7002L, "host", "gw2.acme.example"));

    assertThat(pinned.retired).isFalse();
    assertThat(v.exits()).isEqualTo(3);
    assertThat(repo.exitsOfProvider(id)).extracting(e -> e.host).containsOnly("gw2.acme.example");
  }

  @Test
  void deleteRefusesWhileAnExitIsAssigned() {
    long id = provider(7000, 7001).id();
    dedicated.put(1, 10001, repo.exitByName("acme:7000").orElseThrow().id);

    assertThat(failure(() -> service.delete(id)).status()).isEqualTo(409);
    assertThat(repo.provider(id)).isPresent();
    assertThat(exitNames(id)).hasSize(2);
  }

  @Test
  void deleteRemovesTheProviderItsExitsAndTheirMemberships() {
    ExitPoolEntity pool = pool("resi");
    long id =
        service
            .create(
                in(
                    "name",
                    "acme",
                    "kind",
                    "socks5",
                    "host",
                    "h",
                    "portFrom",
                    7000L,
                    "portTo",
                    7001L,
                    "pool",
                    "resi"))
            .id();
    changed.fired.clear();

    service.delete(id);

    assertThat(repo.providers).isEmpty();
    assertThat(repo.exits).isEmpty();
    assertThat(pool.members).isEmpty();
    assertThat(changed.fired).containsExactly(new ExitsChanged("provider"));
    assertThat(failure(() -> service.get(id)).status()).isEqualTo(404);
  }
}
