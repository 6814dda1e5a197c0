package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.exits.domain.DedicatedChanged;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedicatedPortServiceTest {

  private InMemoryExitRepository exits;
  private InMemoryDedicatedRepository repo;
  private RecordingEvent<DedicatedChanged> changed;

  /** Proxy users and their default pool names ({@code null}: none). */
  private final FakeUserPools userPools = new FakeUserPools();

  private final Map<Long, String> users = userPools.defaults;

  private DedicatedPortService service;

  @BeforeEach
  void setUp() {
    exits = new InMemoryExitRepository();
    repo = new InMemoryDedicatedRepository(exits);
    changed = new RecordingEvent<>();
    service = new DedicatedPortService();
    service.repo = repo;
    service.exits = exits;
    service.changed = changed;
    service.users = userPools;
    service.range = "10001-10005";
    for (long u = 1; u <= 5; u++) {
      users.put(u, null);
    }
  }

  private long exit(String name, String state) {
    ExitNodeEntity e = new ExitNodeEntity();
    e.name = name;
    e.kind = "direct";
    e.state = ExitState.fromWire(state);
    e.enabled = true;
    return exits.insert(e).id;
  }

  private void pool(String name, long... members) {
    ExitPoolEntity p = new ExitPoolEntity();
    p.name = name;
    p.strategy = "sticky";
    for (long m : members) {
      p.members.add(exits.exit(m).orElseThrow());
    }
    exits.insert(p);
  }

  @Test
  void firstFreeSkipsUsedPortsAndThenTheRequestedNumberOfFreeOnes() {
    int[] bounds = {10001, 10005};
    Set<Integer> used = Set.of(10001, 10003);

    assertThat(DedicatedPortService.firstFree(used, bounds, 0)).isEqualTo(10002);
    assertThat(DedicatedPortService.firstFree(used, bounds, 1)).isEqualTo(10004);
    assertThat(DedicatedPortService.firstFree(used, bounds, 2)).isEqualTo(10005);
    // more skips than free ports: start over at the first free one
    assertThat(DedicatedPortService.firstFree(used, bounds, 3)).isEqualTo(10002);
    assertThat(DedicatedPortService.firstFree(Set.of(10001, 10002), new int[] {10001, 10002}, 0))
        .isEqualTo(-1);
    assertThat(DedicatedPortService.firstFree(Set.of(10001, 10002), new int[] {10001, 10002}, 4))
        .isEqualTo(-1);
  }

  @Test
  void assignsTheFirstFreePortDirectWithoutADefaultPool() {
    repo.put(9, 10001, null);

    DedicatedPortService.Result r = service.getOrAssign(1);

    assertThat(r.created()).isTrue();
    assertThat(r.assignment().port()).isEqualTo(10002);
    assertThat(r.assignment().exitId()).isNull();
    assertThat(repo.byUser(1)).isPresent();
    assertThat(changed.fired).containsExactly(new DedicatedChanged(1, 10002, true));
  }

  @Test
  void anExistingAssignmentIsReturnedUnchanged() {
    int port = service.getOrAssign(1).assignment().port();
    changed.fired.clear();

    DedicatedPortService.Result again = service.getOrAssign(1);

    assertThat(again.created()).isFalse();
    assertThat(again.assignment().port()).isEqualTo(port);
    assertThat(repo.rows).hasSize(1);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void pinsTheHealthyExitOfTheDefaultPoolWithTheFewestAssignments() {
    long a = exit("a", "healthy");
    long b = exit("b", "suspect");
    long down = exit("down", "unhealthy");
    pool("main", down, a, b);
    users.put(1L, "main");
    users.put(2L, "main");
    users.put(3L, "main");

    assertThat(service.getOrAssign(1).assignment().exitId()).isEqualTo(a);
    assertThat(service.getOrAssign(2).assignment().exitId()).isEqualTo(b);
    assertThat(service.getOrAssign(3).assignment().exitId()).isEqualTo(a);
  }

  @Test
  void anUnknownUserIsNotFoundAndGetsNoPort() {
    ApiException e = catchThrowableOfType(ApiException.class, () -> service.getOrAssign(77));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).contains("proxy user 77");
    assertThat(repo.rows).isEmpty();
  }

  @Test
  void afterLosingAPortToAnotherUserTriesAFurtherFreePort() {
    repo.beforeInsert =
        port -> {
          if (repo.inserts == 1) {
            repo.put(99, port, null); // another node's user takes the same port first
          }
        };

    DedicatedPortService.Result r = service.getOrAssign(1);

    assertThat(r.created()).isTrue();
    // second attempt: 10001 is taken, skip one free port (10002) to spread out the retries
    assertThat(r.assignment().port()).isEqualTo(10003);
    assertThat(repo.inserts).isEqualTo(2);
    assertThat(changed.fired).containsExactly(new DedicatedChanged(1, 10003, true));
  }

  @Test
  void afterLosingToAnotherNodeForTheSameUserReturnsTheWinnersPort() {
    repo.beforeInsert = port -> repo.put(1, 10004, null);

    DedicatedPortService.Result r = service.getOrAssign(1);

    assertThat(r.created()).isFalse();
    assertThat(r.assignment().port()).isEqualTo(10004);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void allPortsTakenIsAConflict() {
    service.range = "10001-10002";
    repo.put(8, 10001, null);
    repo.put(9, 10002, null);

    ApiException e = catchThrowableOfType(ApiException.class, () -> service.getOrAssign(1));

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.type()).isEqualTo("ports-exhausted");
  }

  @Test
  void givesUpAfterFiftyLostRaces() {
    service.range = "10001-19999";
    long[] thief = {1000};
    repo.beforeInsert = port -> repo.put(thief[0]++, port, null);

    ApiException e = catchThrowableOfType(ApiException.class, () -> service.getOrAssign(1));

    assertThat(e.status()).isEqualTo(503);
    assertThat(repo.inserts).isEqualTo(50);
    assertThat(repo.byUser(1)).isEmpty();
  }

  @Test
  void releaseFreesThePortForTheNextAssignment() {
    int port = service.getOrAssign(1).assignment().port();
    service.getOrAssign(2);
    changed.fired.clear();

    assertThat(service.release(1)).isTrue();
    assertThat(service.get(1)).isEmpty();
    assertThat(changed.fired).containsExactly(new DedicatedChanged(1, port, false));

    DedicatedPortService.Result reassigned = service.getOrAssign(3);
    assertThat(reassigned.assignment().port()).isEqualTo(port);
    assertThat(service.all())
        .extracting(DedicatedPortService.Assignment::userId)
        .containsExactly(3L, 2L);
  }

  @Test
  void releasingWithoutAnAssignmentIsFalseAndSilent() {
    assertThat(service.release(1)).isFalse();
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void theRangeIsParsedAndChecked() {
    service.range = " 20000 ";
    assertThat(service.bounds()).containsExactly(20000, 20000);
    service.range = "5-1";
    assertThatThrownBy(service::bounds).isInstanceOf(IllegalStateException.class);
    service.range = "0-10";
    assertThatThrownBy(service::bounds).isInstanceOf(IllegalStateException.class);
  }
}
