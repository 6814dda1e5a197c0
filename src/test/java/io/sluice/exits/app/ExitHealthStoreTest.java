package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.exits.domain.ExitCheckEntity;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.problem.ApiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExitHealthStoreTest {

  private static final ExitHealthStore.Thresholds THRESHOLDS =
      new ExitHealthStore.Thresholds(3, 2, 5);
  private static final ProbeResult OK = new ProbeResult(true, true, "203.0.113.7", 42, 200, null);
  private static final ProbeResult FAIL =
      new ProbeResult(false, false, null, 3, 0, "connection refused");

  private InMemoryExitRepository repo;
  private InMemoryExitCheckRepository checks;
  private ExitHealthStore store;
  private long exitId;
  private TorExitService torExits;

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitRepository();
    checks = new InMemoryExitCheckRepository();
    store = new ExitHealthStore();
    store.repo = repo;
    store.checks = checks;
    torExits = new TorExitService();
    torExits.repo = repo;
    torExits.changed = new io.sluice.testsupport.RecordingEvent<>();
    store.torExits = torExits;
    store.identity =
        new io.sluice.platform.node.NodeIdentity() {
          @Override
          public String name() {
            return "node-a";
          }
        };
    ExitNodeEntity e = new ExitNodeEntity();
    e.name = "x";
    e.kind = "socks5";
    e.host = "10.0.0.1";
    e.port = 1080;
    e.state = ExitState.HEALTHY;
    e.enabled = true;
    exitId = repo.insert(e).id;
  }

  private ExitNodeEntity exit() {
    return repo.exit(exitId).orElseThrow();
  }

  @Test
  void aCheckSaysWhichServerRanIt() {
    store.record(exitId, OK, THRESHOLDS);
    assertThat(checks.newest(exitId))
        .singleElement()
        .satisfies(c -> assertThat(c.checkedBy).isEqualTo("node-a"));
  }

  @Test
  void torExitsAreCheckedOnlyByTheServerThatRunsThem() {
    long own = torExits.sync("node-a", "tor-node-a-0", 30001, null, true);
    long other = torExits.sync("node-a", "tor-node-b-0", 30002, null, true);
    repo.exit(other).orElseThrow().torServer = "node-b";

    assertThat(store.targets(null, null, null))
        .extracting(ExitHealthStore.Target::exitId)
        .containsExactlyInAnyOrder(exitId, own);
    assertThat(store.ownTorTargets())
        .extracting(ExitHealthStore.Target::exitId)
        .containsExactly(own);
    assertThat(store.target(own).port()).isEqualTo(30001);
    ApiException refused = catchThrowableOfType(ApiException.class, () -> store.target(other));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.getMessage()).contains("node-b");

    long notReady = torExits.sync("node-a", "tor-node-a-1", null, null, false);
    ApiException noPort = catchThrowableOfType(ApiException.class, () -> store.target(notReady));
    assertThat(noPort.status()).isEqualTo(409);
    assertThat(noPort.getMessage()).contains("without a SOCKS port");
  }

  @Test
  void oneFailureMakesAHealthyExitSuspectAndTheThirdUnhealthy() {
    assertThat(store.record(exitId, FAIL, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(ExitState.SUSPECT, true));
    assertThat(store.record(exitId, FAIL, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(ExitState.SUSPECT, false));
    assertThat(store.record(exitId, FAIL, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(ExitState.UNHEALTHY, true));
    assertThat(exit().lastError).isEqualTo("connection refused");
    assertThat(exit().consecutiveFailures).isEqualTo(3);
  }

  @Test
  void anUnhealthyExitNeedsTwoSuccessesASuspectOne() {
    exit().state = ExitState.UNHEALTHY;
    assertThat(store.record(exitId, OK, THRESHOLDS).state()).isEqualTo(ExitState.UNHEALTHY);
    assertThat(store.record(exitId, OK, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(ExitState.HEALTHY, true));

    exit().state = ExitState.SUSPECT;
    assertThat(store.record(exitId, OK, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(ExitState.HEALTHY, true));
  }

  @Test
  void successesRecordAddressAndLatencyFailuresKeepTheLastGoodLatency() {
    store.record(exitId, OK, THRESHOLDS);
    store.record(exitId, FAIL, THRESHOLDS);

    ExitNodeEntity e = exit();
    assertThat(e.actualIp).isEqualTo("203.0.113.7");
    assertThat(e.latencyMs).isEqualTo(42);
    assertThat(e.lastVerifiedAt).isNotNull();
    assertThat(e.lastCheckedAt).isAfterOrEqualTo(e.lastVerifiedAt);
  }

  @Test
  void successesFeedTheLatencyAverageAndTheSlowFlagFailuresDoNot() {
    ExitHealthStore.Thresholds t = new ExitHealthStore.Thresholds(3, 2, 20, 1000);
    ProbeResult slow = new ProbeResult(true, true, "203.0.113.7", 3000, 200, null);

    ExitHealthStore.Recorded first = store.record(exitId, slow, t);
    assertThat(exit().latencyEwmaMs).isEqualTo(3000.0);
    assertThat(first.slow()).isTrue();
    assertThat(first.slowChanged()).isTrue();
    assertThat(first.state()).isEqualTo(ExitState.HEALTHY); // slow is not taken out of the pool

    assertThat(store.record(exitId, slow, t).slowChanged()).isFalse();
    store.record(exitId, new ProbeResult(false, false, null, 5, 0, "refused"), t);
    assertThat(exit().latencyEwmaMs).isEqualTo(3000.0);

    ExitHealthStore.Recorded r = null;
    int fastChecks = 0;
    while (exit().slow) {
      r = store.record(exitId, OK, t);
      fastChecks++;
    }
    // 3000 * 0.7^n + 42 * (1 - 0.7^n) drops below 900 at the fourth fast check
    assertThat(fastChecks).isEqualTo(4);
    assertThat(r.slowChanged()).isTrue();
    assertThat(exit().latencyMs).isEqualTo(42);
  }

  @Test
  void keepsOnlyTheNewestChecksAndTruncatesErrors() {
    for (int i = 0; i < 7; i++) {
      store.record(exitId, OK, THRESHOLDS);
    }
    store.record(exitId, new ProbeResult(false, false, null, 1, 502, "e".repeat(600)), THRESHOLDS);

    assertThat(store.history(exitId)).hasSize(5);
    ExitCheckEntity newest = store.history(exitId).get(0);
    assertThat(newest.healthy).isFalse();
    assertThat(newest.httpStatus).isEqualTo(502);
    assertThat(newest.error).hasSize(500);
  }

  @Test
  void aDeletedExitIsReportedNotRecorded() {
    assertThat(store.record(999, OK, THRESHOLDS))
        .isEqualTo(new ExitHealthStore.Recorded(null, false));
    assertThat(checks.rows).isEmpty();
    assertThat(catchThrowableOfType(ApiException.class, () -> store.history(999)).status())
        .isEqualTo(404);
  }

  @Test
  void targetsCarryTheProbeOfEnabledExitsOnly() {
    ExitNodeEntity off = new ExitNodeEntity();
    off.name = "off";
    off.kind = "direct";
    off.state = ExitState.HEALTHY;
    repo.insert(off);

    assertThat(store.targets(null, null, null))
        .extracting(ExitHealthStore.Target::name)
        .containsExactly("x");
    ExitHealthStore.Target t = store.target(exitId);
    assertThat(t.probe().kind()).isEqualTo("socks5");
    assertThat(t.probe().port()).isEqualTo(1080);
    assertThat(t.checksPerSecond()).isNull();
  }
}
