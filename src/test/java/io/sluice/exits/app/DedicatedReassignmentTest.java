package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedChanged;
import io.sluice.exits.domain.DedicatedReassigned;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedicatedReassignmentTest {

  private InMemoryExitRepository exits;
  private InMemoryDedicatedRepository repo;
  private final FakeUserPools users = new FakeUserPools();
  private final RecordingEvent<DedicatedReassigned> reassigned = new RecordingEvent<>();
  private final RecordingEvent<DedicatedChanged> changed = new RecordingEvent<>();
  private DedicatedPortService service;

  @BeforeEach
  void setUp() {
    exits = new InMemoryExitRepository();
    repo = new InMemoryDedicatedRepository(exits);
    DedicatedMoves moves = new DedicatedMoves();
    moves.repo = repo;
    moves.exits = exits;
    service = new DedicatedPortService();
    service.repo = repo;
    service.exits = exits;
    service.users = users;
    service.moves = moves;
    service.changed = changed;
    service.reassigned = reassigned;
    service.range = "10001-10005";
  }

  private long exit(String name, Long provider, String country, String ip) {
    ExitNodeEntity e = new ExitNodeEntity();
    e.name = name;
    e.kind = "socks5";
    e.state = ExitState.HEALTHY;
    e.enabled = true;
    e.providerId = provider;
    e.country = country;
    e.actualIp = ip;
    return exits.insert(e).id;
  }

  private void pool(String name, long... members) {
    ExitPoolEntity p = new ExitPoolEntity();
    p.name = name;
    p.strategy = "round-robin";
    for (long m : members) {
      p.members.add(exits.exit(m).orElseThrow());
    }
    exits.insert(p);
  }

  private void state(long exitId, ExitState s) {
    exits.exit(exitId).orElseThrow().state = s;
  }

  @Test
  void anUnhealthyExitMovesToTheSameProviderAndCountryFirstAndKeepsTheHistory() {
    long pinned = exit("a", 1L, "de", "203.0.113.1");
    long otherCountry = exit("b", 1L, "fr", "203.0.113.2");
    long otherProvider = exit("c", 2L, "de", "203.0.113.3");
    long same = exit("d", 1L, "de", "203.0.113.4");
    pool("main", pinned, otherCountry, otherProvider, same);
    users.defaults.put(1L, "main");
    repo.put(1, 10001, pinned);

    assertThat(service.recoverAll()).isZero(); // healthy: nothing to do
    state(pinned, ExitState.UNHEALTHY);
    assertThat(service.recoverAll()).isEqualTo(1);

    assertThat(repo.byUser(1).orElseThrow().exitId).isEqualTo(same);
    assertThat(reassigned.fired)
        .containsExactly(
            new DedicatedReassigned(
                1, 10001, pinned, same, "203.0.113.1", "203.0.113.4", "exit a unhealthy"));
    assertThat(changed.fired).containsExactly(new DedicatedChanged(1, 10001, true));
    DedicatedPortService.Detail d = service.detail(1).orElseThrow();
    assertThat(d.reassign()).isEqualTo("auto");
    assertThat(d.history()).hasSize(1);
    assertThat(d.history().get(0).fromIp()).isEqualTo("203.0.113.1");
    assertThat(d.history().get(0).toIp()).isEqualTo("203.0.113.4");

    // next: same country (other provider) before other countries
    state(same, ExitState.UNHEALTHY);
    service.recoverAll();
    assertThat(repo.byUser(1).orElseThrow().exitId).isEqualTo(otherProvider);
    state(otherProvider, ExitState.DISABLED);
    exits.exit(otherProvider).orElseThrow().enabled = false;
    service.recoverAll();
    assertThat(repo.byUser(1).orElseThrow().exitId).isEqualTo(otherCountry);
    assertThat(service.detail(1).orElseThrow().history())
        .extracting(DedicatedPortService.Reassignment::toExitId)
        .containsExactly(otherCountry, otherProvider, same);
  }

  @Test
  void aSecondNodeFindingThePortAlreadyMovedDoesNothing() {
    long pinned = exit("a", null, "de", "203.0.113.1");
    long spare = exit("b", null, "de", "203.0.113.2");
    pool("main", pinned, spare);
    users.defaults.put(1L, "main");
    repo.put(1, 10001, pinned);
    state(pinned, ExitState.UNHEALTHY);

    assertThat(service.recoverAll()).isEqualTo(1);
    // the other node saw the same health change: under the row lock it finds a usable exit
    assertThat(service.moves.recover(1, "main")).isInstanceOf(DedicatedMoves.Outcome.Fine.class);
    assertThat(repo.moves).hasSize(1);
  }

  @Test
  void neverAndNoHealthyExitLeaveThePortWithoutAMove() {
    long pinned = exit("a", null, null, "203.0.113.1");
    long spare = exit("b", null, null, "203.0.113.2");
    pool("main", pinned, spare);
    users.defaults.put(1L, "main");
    users.defaults.put(2L, "main");
    repo.put(1, 10001, pinned);
    repo.put(2, 10002, pinned);
    service.update(1, "never", null);
    state(pinned, ExitState.UNHEALTHY);
    state(spare, ExitState.UNHEALTHY);

    assertThat(service.recoverAll()).isZero();
    assertThat(service.moves.recover(1, "main"))
        .isInstanceOfSatisfying(
            DedicatedMoves.Outcome.Stuck.class,
            s -> assertThat(s.why()).contains("reassign is never"));
    assertThat(service.moves.recover(2, "main"))
        .isInstanceOfSatisfying(
            DedicatedMoves.Outcome.Stuck.class,
            s -> assertThat(s.why()).contains("no other healthy exit"));

    state(spare, ExitState.HEALTHY);
    assertThat(service.recoverAll()).isEqualTo(1); // user 2 (auto) moves; user 1 stays
    assertThat(repo.byUser(1).orElseThrow().exitId).isEqualTo(pinned);
    assertThat(repo.byUser(2).orElseThrow().exitId).isEqualTo(spare);

    service.update(1, "auto", null); // switching back to auto moves at once
    assertThat(repo.byUser(1).orElseThrow().exitId).isEqualTo(spare);
  }

  @Test
  void aDeletedExitOrMissingPoolIsStuckAndAnOperatorPinIsRecorded() {
    long direct = exit("out", null, null, "198.51.100.9");
    users.defaults.put(1L, null); // no default pool
    repo.put(1, 10001, null); // the exit was deleted (ON DELETE SET NULL)

    assertThat(service.moves.recover(1, null))
        .isInstanceOfSatisfying(
            DedicatedMoves.Outcome.Stuck.class,
            s -> assertThat(s.why()).isEqualTo("no exit, and the user has no default pool"));
    assertThat(service.moves.recover(1, "gone"))
        .isInstanceOfSatisfying(
            DedicatedMoves.Outcome.Stuck.class,
            s -> assertThat(s.why()).contains("default pool gone does not exist"));

    DedicatedPortService.Detail d = service.update(1, null, direct);
    assertThat(d.exitId()).isEqualTo(direct);
    assertThat(d.history().get(0).reason()).isEqualTo("set by operator");
    assertThat(reassigned.fired).hasSize(1);
  }

  @Test
  void badReassignValuesAndMissingAssignmentsAreRefused() {
    users.defaults.put(1L, null);
    repo.put(1, 10001, null);
    ApiException bad =
        Assertions.catchThrowableOfType(
            ApiException.class, () -> service.update(1, "sometimes", null));
    assertThat(bad.status()).isEqualTo(400);
    ApiException missing =
        Assertions.catchThrowableOfType(ApiException.class, () -> service.update(9, "never", null));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(repo.byUser(1).orElseThrow().reassign).isEqualTo(DedicatedAssignmentEntity.AUTO);
  }
}
