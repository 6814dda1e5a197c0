package io.sluice.exits.app;

import io.sluice.exits.domain.ExitCheckEntity;
import io.sluice.exits.domain.ExitCheckRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.Latency;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;

/** The transactional half of health checking: what to probe, and recording what was found. */
@ApplicationScoped
public class ExitHealthStore {

  @Inject ExitRepository repo;
  @Inject ExitCheckRepository checks;
  @Inject ServerKeys keys;
  @Inject TorExitService torExits;
  @Inject io.sluice.platform.node.NodeIdentity identity;

  /** What to probe for one exit. */
  public record Target(
      long exitId,
      String name,
      Integer port,
      String expectedIp,
      String checkUrl,
      ProbeTarget probe,
      Integer checksPerSecond) {}

  /** Hysteresis thresholds, and the average latency above which an exit is slow. */
  public record Thresholds(int unhealthyAfter, int healthyAfter, int history, long slowMs) {
    public Thresholds(int unhealthyAfter, int healthyAfter, int history) {
      this(unhealthyAfter, healthyAfter, history, 1000);
    }
  }

  /**
   * The state after a check ({@code null}: the exit was deleted meanwhile) and whether it changed;
   * and the slow flag after it and whether that changed.
   */
  public record Recorded(ExitState state, boolean changed, boolean slow, boolean slowChanged) {
    public Recorded(ExitState state, boolean changed) {
      this(state, changed, false, false);
    }

    /** The state's wire name, or {@code deleted}. */
    public String label() {
      return state == null ? "deleted" : state.wireName();
    }
  }

  /**
   * What to probe for exit {@code exitId}; 409 for a tor exit of another server: its SOCKS port is
   * {@code 127.0.0.1} on that server, so only that server can check it.
   */
  @Transactional
  public Target target(long exitId) {
    ExitNodeEntity e = repo.exit(exitId).orElseThrow(() -> ApiException.notFound("exit " + exitId));
    if (!torExits.usableHere(e)) {
      throw ApiException.conflict(
          "exit "
              + exitId
              + " is a tor node of server "
              + e.torServer
              + "; its SOCKS port is on that server: ask that server to check it");
    }
    if (io.sluice.exits.domain.selection.ExitView.TOR.equals(e.kind) && e.port == null) {
      throw ApiException.conflict(
          "exit "
              + exitId
              + " is a tor node without a SOCKS port yet (not ready): nothing to check");
    }
    return toTarget(e);
  }

  /**
   * The enabled exits matching the filters that this server can check: every exit but the tor exits
   * of other servers (those are checked by the server that runs them, {@link #ownTorTargets}).
   */
  @Transactional
  public List<Target> targets(String pool, String state, String country) {
    return repo
        .exits(pool, ExitService.stateFilter(state), country, null, 0, Integer.MAX_VALUE)
        .stream()
        .filter(e -> e.enabled && torExits.usableHere(e))
        .map(this::toTarget)
        .toList();
  }

  /**
   * The enabled tor exits of this server's own tor nodes (checked here whoever holds the lease).
   */
  @Transactional
  public List<Target> ownTorTargets() {
    return repo.exits(null, null, null, null, 0, Integer.MAX_VALUE).stream()
        .filter(e ->
            e.enabled
                && io.sluice.exits.domain.selection.ExitView.TOR.equals(e.kind)
                && torExits.usableHere(e))
        .map(this::toTarget)
        .toList();
  }

  /**
   * Records one result and moves the state: healthy -> suspect on a failure, suspect -> unhealthy
   * after {@code unhealthyAfter} consecutive failures, unhealthy -> healthy after {@code
   * healthyAfter} consecutive successes, suspect -> healthy on a success. Returns the new state and
   * whether it changed.
   */
  @Transactional
  public Recorded record(long exitId, ProbeResult r, Thresholds t) {
    ExitNodeEntity e = repo.exit(exitId).orElse(null);
    if (e == null) {
      return new Recorded(null, false);
    }
    Instant now = Instant.now();
    ExitState before = e.state;
    boolean wasSlow = e.slow;
    e.lastCheckedAt = now;
    int latency = (int) Math.min(Integer.MAX_VALUE, r.latencyMillis());
    if (r.healthy()) {
      e.latencyMs =
          latency; // only successful checks feed least-latency (a fast refusal is not fast)
      e.latencyEwmaMs = Latency.ewma(e.latencyEwmaMs, latency);
      e.slow = Latency.slow(wasSlow, e.latencyEwmaMs, t.slowMs());
      e.consecutiveSuccesses++;
      e.consecutiveFailures = 0;
      e.actualIp = r.actualIp();
      e.lastVerifiedAt = now;
      e.lastError = null;
      if (e.state == ExitState.SUSPECT
          || (e.state == ExitState.UNHEALTHY && e.consecutiveSuccesses >= t.healthyAfter())) {
        e.state = ExitState.HEALTHY;
      }
    } else {
      e.consecutiveFailures++;
      e.consecutiveSuccesses = 0;
      e.lastError = truncate(r.error());
      if (e.state == ExitState.HEALTHY) {
        e.state =
            e.consecutiveFailures >= t.unhealthyAfter() ? ExitState.UNHEALTHY : ExitState.SUSPECT;
      } else if (e.state == ExitState.SUSPECT && e.consecutiveFailures >= t.unhealthyAfter()) {
        e.state = ExitState.UNHEALTHY;
      }
    }
    ExitCheckEntity c = new ExitCheckEntity();
    c.exitId = exitId;
    c.checkedAt = now;
    c.healthy = r.healthy();
    c.actualIp = r.actualIp();
    c.latencyMs = latency;
    c.httpStatus = r.httpStatus() == 0 ? null : r.httpStatus();
    c.error = truncate(r.error());
    c.checkedBy = identity.name();
    checks.add(c, Math.max(1, t.history()));
    return new Recorded(e.state, e.state != before, e.slow, e.slow != wasSlow);
  }

  /** The newest results of one exit. */
  @Transactional
  public List<ExitCheckEntity> history(long exitId) {
    repo.exit(exitId).orElseThrow(() -> ApiException.notFound("exit " + exitId));
    return checks.newest(exitId);
  }

  private Target toTarget(ExitNodeEntity e) {
    String password =
        e.passwordEnc == null
            ? null
            : keys.box().openString(ExitService.PASSWORD_PURPOSE, e.passwordEnc);
    InetAddress local = null;
    if (e.localAddress != null) {
      try {
        local = InetAddress.getByName(e.localAddress); // an IP literal, validated on write
      } catch (UnknownHostException bad) {
        throw new IllegalStateException("bad local address of exit " + e.id, bad);
      }
    }
    ProbeTarget probe =
        new ProbeTarget(
            e.kind,
            e.host,
            e.port == null ? 0 : e.port,
            UpstreamSessions.baseUsername(
                e.name, e.username, e.upstreamUsernameTemplate, e.country),
            password,
            local);
    Integer rate =
        e.providerId == null
            ? null
            : repo.provider(e.providerId).map(p -> p.checksPerSecond).orElse(null);
    return new Target(e.id, e.name, e.port, e.expectedIp, e.checkUrl, probe, rate);
  }

  private static String truncate(String s) {
    return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
  }
}
