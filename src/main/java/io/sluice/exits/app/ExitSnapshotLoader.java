package io.sluice.exits.app;

import io.sluice.engine.spi.ExitRoute;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.UpstreamUsernameTemplate;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.crypto.ServerKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/** Reads exits (unsealing upstream passwords), pools and dedicated assignments in one go. */
@ApplicationScoped
public class ExitSnapshotLoader {

  private static final Logger LOG = System.getLogger(ExitSnapshotLoader.class.getName());

  @Inject ExitRepository exits;
  @Inject DedicatedRepository dedicated;
  @Inject ServerKeys keys;
  @Inject TorExitService torExits;

  @Transactional(
      Transactional.TxType.REQUIRES_NEW) // its own: a failure never taints a caller's transaction
  public ExitSnapshot load() {
    Map<Long, ExitRoute> routes = new HashMap<>();
    Map<Long, ExitSnapshot.ExitInfo> infos = new HashMap<>();
    Map<Long, UpstreamUsernameTemplate> templates = new HashMap<>();
    for (ExitNodeEntity e : exits.allExits()) {
      // another server's tor node: its 127.0.0.1:port means nothing here
      boolean usable = e.enabled && torExits.usableHere(e);
      infos.put(
          e.id,
          new ExitSnapshot.ExitInfo(
              e.name,
              e.kind,
              e.country,
              usable ? e.state : ExitState.DISABLED,
              selectionLatency(e)));
      if (!usable) {
        continue;
      }
      try {
        routes.put(e.id, route(e));
        UpstreamUsernameTemplate t =
            "direct".equals(e.kind)
                ? null
                : UpstreamSessions.parseStored(e.name, e.upstreamUsernameTemplate);
        if (t != null) {
          templates.put(e.id, t);
        }
      } catch (RuntimeException bad) {
        LOG.log(
            Level.WARNING,
            "SLUICE0330W: exit {0} ({1}) is unusable and skipped: {2}",
            new Object[] {e.id, e.name, bad.getMessage()});
      }
    }
    Map<String, ExitSnapshot.PoolDef> pools = new HashMap<>();
    for (ExitPoolEntity p : exits.pools()) {
      pools.put(
          p.name,
          new ExitSnapshot.PoolDef(
              p.id,
              p.name,
              p.strategy,
              p.fallback == null ? null : p.fallback.name,
              p.stickyTtlMinutes,
              p.members.stream().map(m -> m.id).sorted().toList()));
    }
    Map<Integer, ExitSnapshot.Dedicated> byPort = new HashMap<>();
    dedicated
        .all()
        .forEach(a -> byPort.put(a.port, new ExitSnapshot.Dedicated(a.userId, a.port, a.exitId)));
    return new ExitSnapshot(
        Map.copyOf(routes),
        Map.copyOf(infos),
        Map.copyOf(byPort),
        Map.copyOf(pools),
        Map.copyOf(templates));
  }

  /** The EWMA of successful checks for least-latency, else the last one (exits checked before). */
  static Integer selectionLatency(ExitNodeEntity e) {
    if (e.latencyEwmaMs != null) {
      return (int) Math.round(e.latencyEwmaMs);
    }
    return e.latencyMs;
  }

  private ExitRoute route(ExitNodeEntity e) {
    String id = e.name;
    String password =
        e.passwordEnc == null
            ? null
            : keys.box().openString(ExitService.PASSWORD_PURPOSE, e.passwordEnc);
    // with a template, the static route (used for dedicated ports without routing) carries the
    // template rendered without session; every connection gets its own rendering (routeFor)
    String user =
        "direct".equals(e.kind)
            ? null
            : UpstreamSessions.baseUsername(
                e.name, e.username, e.upstreamUsernameTemplate, e.country);
    return switch (e.kind) {
      case "direct" -> new ExitRoute.Direct(id, localAddress(e.localAddress));
      case "socks5", "tor" -> new ExitRoute.Socks5Upstream(id, e.host, e.port, user, password);
      case "http" -> new ExitRoute.HttpUpstream(id, e.host, e.port, user, password);
      default -> throw new IllegalStateException("unknown exit kind " + e.kind);
    };
  }

  private static InetAddress localAddress(String literal) {
    if (literal == null) {
      return null;
    }
    try {
      return InetAddress.getByName(literal); // validated as an IP literal on write: no DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("bad local address " + literal, e);
    }
  }
}
