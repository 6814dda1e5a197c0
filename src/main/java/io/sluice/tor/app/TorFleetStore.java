package io.sluice.tor.app;

import io.sluice.exits.app.TorExitService;
import io.sluice.platform.problem.ApiException;
import io.sluice.tor.domain.ExitInfo;
import io.sluice.tor.domain.NodeState;
import io.sluice.tor.domain.NodeStatus;
import io.sluice.tor.domain.TorExitSeenEntity;
import io.sluice.tor.domain.TorNodeEntity;
import io.sluice.tor.domain.TorRepository;
import io.sluice.tor.domain.TorSettingsEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The fleet's transactions: settings, node rows, exit history, and the nodes' exits. */
@ApplicationScoped
public class TorFleetStore {

  @Inject TorRepository repo;
  @Inject TorExitService exits;

  @Transactional
  public TorSettings settings() {
    return toSettings(repo.settings());
  }

  /** Writes the settings (already validated). */
  @Transactional
  public TorSettings save(TorSettings s) {
    TorSettingsEntity e = repo.settings();
    e.size = s.size();
    e.rotationIntervalSeconds = s.rotationIntervalSeconds();
    e.countries = s.countries().isEmpty() ? null : String.join(",", s.countries());
    StringBuilder b = new StringBuilder();
    s.nodeCountries()
        .forEach((i, cc) ->
            b.append(b.isEmpty() ? "" : ";").append(i).append('=').append(String.join(",", cc)));
    e.nodeCountries = b.isEmpty() ? null : b.toString();
    e.extraLines = s.extraLines().isEmpty() ? null : String.join("\n", s.extraLines());
    e.noRepeatWindow = s.noRepeatWindow();
    e.updatedAt = Instant.now();
    return toSettings(e);
  }

  static TorSettings toSettings(TorSettingsEntity e) {
    Map<Integer, List<String>> per = new LinkedHashMap<>();
    if (e.nodeCountries != null) {
      for (String part : e.nodeCountries.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          per.put(Integer.parseInt(part.substring(0, eq)), split(part.substring(eq + 1), ","));
        }
      }
    }
    return new TorSettings(
        e.size,
        e.rotationIntervalSeconds,
        split(e.countries, ","),
        per,
        split(e.extraLines, "\n"),
        e.noRepeatWindow);
  }

  private static List<String> split(String s, String sep) {
    return s == null || s.isBlank()
        ? List.of()
        : Arrays.stream(s.split(sep)).filter(x -> !x.isBlank()).toList();
  }

  @Transactional
  public List<TorNodeView> nodes() {
    return repo.nodes().stream().map(TorFleetStore::view).toList();
  }

  /** The row of node {@code id}, or 404. */
  @Transactional
  public TorNodeView node(long id) {
    return repo.node(id)
        .map(TorFleetStore::view)
        .orElseThrow(() -> ApiException.notFound("tor node " + id));
  }

  /**
   * Writes this server's live statuses into its rows and its nodes' exits (a draining node's exit
   * stays disabled); rows of indexes that no longer run are deleted with their exits, and so are
   * other servers' rows that nobody updated for {@code staleSeconds} (a server that died: every
   * running server rewrites its rows on each tick).
   *
   * @return the other servers' rows deleted as stale, as {@code server/index}
   */
  @Transactional
  public List<String> sync(
      String server,
      Map<Integer, NodeStatus> live,
      Set<Integer> draining,
      TorSettings s,
      int staleSeconds) {
    Instant now = Instant.now();
    Set<Integer> seen = new HashSet<>();
    for (NodeStatus st : live.values()) {
      seen.add(st.index());
      TorNodeEntity n = repo.node(server, st.index()).orElse(null);
      if (n == null) {
        n = new TorNodeEntity();
        n.server = server;
        n.nodeIndex = st.index();
        n.exitName = exitName(server, st.index());
        repo.insert(n);
      }
      n.state = st.state().wire();
      n.pid = st.pid();
      n.socksPort = st.socksPort();
      n.controlPort = st.controlPort();
      n.bootstrapPercent = st.bootstrapPercent();
      n.countries = String.join(",", s.countriesOf(st.index()));
      n.rotation = st.rotation();
      n.exitPinned = st.pinnedExit();
      n.lastRotationAt = st.lastRotationAt();
      n.restarts = st.restarts();
      n.newnyms = st.newnyms();
      n.error = st.error() == null ? null : truncate(st.error());
      n.updatedAt = now;
      List<String> cc = s.countriesOf(st.index());
      boolean usable =
          (st.state() == NodeState.READY || st.state() == NodeState.ROTATING)
              && !draining.contains(st.index());
      exits.sync(server, n.exitName, st.socksPort(), cc.size() == 1 ? cc.get(0) : null, usable);
    }
    List<String> reaped = new ArrayList<>();
    Instant staleBefore = now.minusSeconds(Math.max(1, staleSeconds));
    for (TorNodeEntity n : new ArrayList<>(repo.nodes())) {
      boolean gone = n.server.equals(server) && !seen.contains(n.nodeIndex);
      boolean stale =
          !n.server.equals(server) && staleSeconds > 0 && n.updatedAt.isBefore(staleBefore);
      if (gone || stale) {
        exits.remove(n.exitName);
        repo.delete(n);
        if (stale) {
          reaped.add(n.server + "/" + n.nodeIndex);
        }
      }
    }
    return reaped;
  }

  /** Disables the exits of nodes being drained. */
  @Transactional
  public void drain(String server, List<Integer> indexes) {
    for (int i : indexes) {
      exits.disable(exitName(server, i));
    }
  }

  /**
   * Whether {@code ip} is free: not the current exit of another node and not among the newest
   * {@code window} exits seen fleet-wide.
   */
  @Transactional
  public boolean exitFree(String server, int index, String ip, int window) {
    for (TorNodeEntity n : repo.nodes()) {
      if (ip.equals(n.exitIp) && !(n.server.equals(server) && n.nodeIndex == index)) {
        return false;
      }
    }
    return window <= 0 || !repo.recentExitIps(window).contains(ip);
  }

  /** Records a node's new exit (row and history). */
  @Transactional
  public void recordExit(String server, int index, ExitInfo exit) {
    repo.node(server, index)
        .ifPresent(n -> {
          n.exitIp = exit.ip();
          n.exitFingerprint = exit.fingerprint();
          n.exitCountry = exit.country();
        });
    TorExitSeenEntity seen = new TorExitSeenEntity();
    seen.server = server;
    seen.nodeIndex = index;
    seen.ip = exit.ip();
    seen.fingerprint = exit.fingerprint();
    seen.country = exit.country();
    seen.seenAt = Instant.now();
    repo.addSeen(seen);
  }

  /** The exit IP recorded for a node, or null. */
  @Transactional
  public String recordedExit(String server, int index) {
    return repo.node(server, index).map(n -> n.exitIp).orElse(null);
  }

  public static String exitName(String server, int index) {
    String s = server.replaceAll("[^A-Za-z0-9._-]", "-");
    if (s.length() > 100) {
      s = s.substring(0, 100);
    }
    return "tor-" + s + "-" + index;
  }

  private static String truncate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  static TorNodeView view(TorNodeEntity n) {
    return new TorNodeView(
        n.id,
        n.server,
        n.nodeIndex,
        n.state,
        n.bootstrapPercent,
        n.pid,
        n.socksPort,
        n.controlPort,
        split(n.countries, ","),
        n.exitName,
        n.exitIp,
        n.exitFingerprint,
        n.exitCountry,
        n.exitPinned != null && n.exitPinned.equalsIgnoreCase(n.exitFingerprint),
        n.rotation,
        n.lastRotationAt,
        n.restarts,
        n.newnyms,
        n.error,
        n.updatedAt);
  }
}
