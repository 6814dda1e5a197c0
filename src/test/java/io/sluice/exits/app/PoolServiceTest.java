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

class PoolServiceTest {

  private InMemoryExitRepository repo;
  private RecordingEvent<ExitsChanged> changed;
  private PoolService service;
  private final FakeUserPools users = new FakeUserPools();

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitRepository();
    changed = new RecordingEvent<>();
    service = new PoolService();
    service.repo = repo;
    service.changed = changed;
    service.users = users;
    service.dedicated = new InMemoryDedicatedRepository(repo);
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

  private long exit(String name) {
    ExitNodeEntity e = new ExitNodeEntity();
    e.name = name;
    e.kind = "direct";
    e.state = ExitState.HEALTHY;
    e.enabled = true;
    return repo.insert(e).id;
  }

  @Test
  void createsWithDefaultsAndAnnouncesIt() {
    PoolService.PoolView v = service.create(in("name", "residential"));

    assertThat(v.id()).isPositive();
    assertThat(v.strategy()).isEqualTo("round-robin");
    assertThat(v.stickyTtlMinutes()).isEqualTo(30);
    assertThat(v.fallbackPool()).isNull();
    assertThat(v.exits()).isEmpty();
    assertThat(repo.poolByName("residential")).isPresent();
    assertThat(changed.fired).containsExactly(new ExitsChanged("pool"));
  }

  @Test
  void validatesNameStrategyAndTtlTogether() {
    ApiException e =
        failure(() ->
            service.create(in("name", "Bad Name", "strategy", "fastest", "stickyTtlMinutes", 0L)));

    assertThat(e.status()).isEqualTo(400);
    assertThat(fields(e)).containsExactlyInAnyOrder("name", "strategy", "stickyTtlMinutes");
    assertThat(repo.pools).isEmpty();
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void aNameIsRequired() {
    assertThat(fields(failure(() -> service.create(in())))).containsExactly("name");
  }

  @Test
  void aDuplicateNameIsAConflict() {
    service.create(in("name", "dc"));
    changed.fired.clear();

    ApiException e = failure(() -> service.create(in("name", "dc", "strategy", "random")));

    assertThat(e.status()).isEqualTo(409);
    assertThat(repo.pools).hasSize(1);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void membersAreTheGivenExitsSortedInTheView() {
    long a = exit("a");
    long b = exit("b");

    PoolService.PoolView v = service.create(in("name", "p", "exits", List.of(b, a)));

    assertThat(v.exits()).containsExactly(a, b);
    assertThat(repo.poolByName("p").orElseThrow().members)
        .extracting(m -> m.id)
        .containsExactlyInAnyOrder(a, b);
  }

  @Test
  void anUnknownMemberIsAValidationErrorAndNothingIsStored() {
    long a = exit("a");

    ApiException e = failure(() -> service.create(in("name", "p", "exits", List.of(a, 999L))));

    assertThat(fields(e)).containsExactly("exits");
    assertThat(e.errors().get(0).message()).contains("999");
    assertThat(repo.pools).isEmpty();
  }

  @Test
  void updatingMembersReplacesThemAndNullEmptiesThePool() {
    long a = exit("a");
    long b = exit("b");
    long id = service.create(in("name", "p", "exits", List.of(a))).id();

    assertThat(service.update(id, in("exits", List.of(b))).exits()).containsExactly(b);
    assertThat(service.update(id, in("exits", null)).exits()).isEmpty();
  }

  @Test
  void fallsBackToAnotherPoolByNameAndCanBeCleared() {
    service.create(in("name", "backup"));
    long id = service.create(in("name", "main", "fallbackPool", "backup")).id();

    assertThat(service.get(id).fallbackPool()).isEqualTo("backup");
    assertThat(service.update(id, in("fallbackPool", null)).fallbackPool()).isNull();
  }

  @Test
  void anUnknownFallbackIsAValidationError() {
    ApiException e = failure(() -> service.create(in("name", "main", "fallbackPool", "nowhere")));

    assertThat(fields(e)).containsExactly("fallbackPool");
    assertThat(repo.pools).isEmpty();
  }

  @Test
  void aPoolCannotFallBackToItself() {
    long id = service.create(in("name", "main")).id();

    ApiException e = failure(() -> service.update(id, in("fallbackPool", "main")));

    assertThat(fields(e)).containsExactly("fallbackPool");
    assertThat(e.errors().get(0).message()).contains("itself");
    assertThat(repo.pool(id).orElseThrow().fallback).isNull();
  }

  @Test
  void deleteClearsFallbacksToThePool() {
    long backup = service.create(in("name", "backup")).id();
    long main = service.create(in("name", "main", "fallbackPool", "backup")).id();
    changed.fired.clear();

    service.delete(backup, false);

    assertThat(repo.pool(backup)).isEmpty();
    ExitPoolEntity remaining = repo.pool(main).orElseThrow();
    assertThat(remaining.fallback).isNull();
    assertThat(changed.fired).containsExactly(new ExitsChanged("pool"));
  }

  @Test
  void deletingAUsedPoolIsAConflictListingItsUsersUnlessForced() {
    long id = service.create(in("name", "main")).id();
    service.create(in("name", "other"));
    users.defaults.put(7L, "main");
    users.defaults.put(8L, "other");
    users.allowed.put(8L, java.util.Set.of("main"));
    users.defaults.put(9L, null);
    ((InMemoryDedicatedRepository) service.dedicated).put(7, 10001, null);

    ApiException e = failure(() -> service.delete(id, false));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.type()).isEqualTo("pool-in-use");
    assertThat(e.getMessage()).contains("pool main", "2 user(s)", "1 dedicated port(s)", "user7");
    assertThat(e.errors())
        .extracting(ApiException.FieldError::message)
        .containsExactly(
            "user7 (id 7, default pool)", "user8 (id 8, allowed pool)", "10001 (user id 7)");
    assertThat(repo.pool(id)).isPresent();

    service.delete(id, true);
    assertThat(repo.pool(id)).isEmpty();
  }

  @Test
  void unknownPoolsAreNotFound() {
    assertThat(failure(() -> service.get(7)).status()).isEqualTo(404);
    assertThat(failure(() -> service.update(7, in("strategy", "random"))).status()).isEqualTo(404);
    assertThat(failure(() -> service.delete(7, false)).status()).isEqualTo(404);
  }

  @Test
  void idOfResolvesNamesOrNamesTheField() {
    long id = service.create(in("name", "main")).id();

    assertThat(service.idOf("defaultPool", "main")).isEqualTo(id);
    assertThat(service.idOf("defaultPool", null)).isNull();
    assertThat(fields(failure(() -> service.idOf("defaultPool", "other"))))
        .containsExactly("defaultPool");
  }

  @Test
  void listsEveryPool() {
    service.create(in("name", "a"));
    service.create(in("name", "b", "strategy", "least-latency", "stickyTtlMinutes", 5L));

    assertThat(service.list()).extracting(PoolService.PoolView::name).containsExactly("a", "b");
    assertThat(service.list().get(1).strategy()).isEqualTo("least-latency");
    assertThat(service.list().get(1).stickyTtlMinutes()).isEqualTo(5);
  }
}
