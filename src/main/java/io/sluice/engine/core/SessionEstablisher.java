package io.sluice.engine.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.sluice.engine.exit.Connector;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.net.GateResult;
import io.sluice.engine.session.Admission;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.UserAllowance;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The connect step shared by every front end: user limits, destination gate (resolve once, check
 * all), exit selection, connect through the route's connector, session registration. The callback
 * always runs on the client's event loop.
 *
 * <p>The destination policy is applied before any exit is used, for every route type (see {@link
 * ExitRoute} on names and upstream exits). When connecting through the selected exit fails, the
 * failure is reported to the selector, and the selector is asked again with the failed exit ids
 * excluded, up to {@code exitRetries} more times; the client gets the failure of the last attempt,
 * or {@link FailureKind#NO_EXIT} when the selector had no exit at all. The session records the
 * route that actually connected.
 */
public final class SessionEstablisher {

  private static final Logger LOG = System.getLogger(SessionEstablisher.class.getName());

  private final EngineContext engine;

  public SessionEstablisher(EngineContext engine) {
    this.engine = engine;
  }

  /**
   * @param client the client channel (its event loop runs the callback; if it closes meanwhile, the
   *     upstream is closed and the callback gets {@link FailureKind#GENERAL})
   * @param attachClient whether the client channel bounds the session's life (false for HTTP
   *     forward, where it is only closed along with the session)
   */
  public void establish(
      Channel client,
      ConnectionInfo info,
      ProxyPrincipal principal,
      String protocol,
      Destination destination,
      boolean attachClient,
      Consumer<Outcome> done) {
    EventLoop loop = client.eventLoop();
    long started = System.nanoTime();
    Admission admission = engine.limiter().admit(principal);
    if (admission instanceof Admission.Refused refused) {
      LOG.log(
          Level.INFO,
          "[{0}] user {1} refused: {2}",
          info.connectionId(),
          principal.username(),
          refused.reason());
      done.accept(new Outcome.Failed(FailureKind.LIMIT, refused.reason()));
      return;
    }
    UserAllowance allowance = ((Admission.Admitted) admission).allowance();
    engine
        .gate()
        .admit(principal, destination.host(), destination.port())
        .whenComplete((result, error) -> {
          // an IP literal is answered at once, on this loop: no task hop; a name resolves on
          // the resolver's threads and comes back to the loop as a task
          Runnable next =
              () -> {
                if (error != null) {
                  allowance.release();
                  LOG.log(
                      Level.WARNING,
                      "[{0}] destination gate failed for {1}: {2}",
                      info.connectionId(),
                      destination,
                      error);
                  done.accept(new Outcome.Failed(FailureKind.GENERAL, String.valueOf(error)));
                } else if (!client.isActive()) {
                  allowance.release();
                  done.accept(new Outcome.Failed(FailureKind.GENERAL, "client-gone"));
                } else {
                  afterGate(
                      client,
                      info,
                      principal,
                      protocol,
                      destination,
                      attachClient,
                      allowance,
                      result,
                      started,
                      done);
                }
              };
          if (loop.inEventLoop()) {
            next.run();
          } else {
            loop.execute(next);
          }
        });
  }

  private void afterGate(
      Channel client,
      ConnectionInfo info,
      ProxyPrincipal principal,
      String protocol,
      Destination destination,
      boolean attachClient,
      UserAllowance allowance,
      GateResult result,
      long started,
      Consumer<Outcome> done) {
    if (result instanceof GateResult.Denied denied) {
      allowance.release();
      LOG.log(
          Level.INFO,
          "[{0}] {1} denied {2} ({3}): {4}",
          info.connectionId(),
          principal.username(),
          destination,
          denied.address().getHostAddress(),
          denied.reason());
      engine.events().connect(protocol, "denied", System.nanoTime() - started);
      done.accept(new Outcome.Failed(FailureKind.DENIED, denied.reason()));
      return;
    }
    if (result instanceof GateResult.Refused refused) {
      allowance.release();
      LOG.log(
          Level.INFO,
          "[{0}] {1} refused destination {2}: {3}",
          info.connectionId(),
          principal.username(),
          destination,
          refused.reason());
      engine.events().connect(protocol, "denied", System.nanoTime() - started);
      done.accept(new Outcome.Failed(FailureKind.DENIED, refused.reason()));
      return;
    }
    if (result instanceof GateResult.Unresolvable u) {
      allowance.release();
      LOG.log(
          Level.INFO,
          "[{0}] cannot resolve {1}: {2}",
          info.connectionId(),
          destination,
          u.reason());
      engine.events().connect(protocol, "unresolvable", System.nanoTime() - started);
      done.accept(new Outcome.Failed(FailureKind.UNRESOLVABLE, u.reason()));
      return;
    }
    GateResult.Allowed allowed = (GateResult.Allowed) result;
    Attempts a =
        new Attempts(
            client,
            info,
            principal,
            protocol,
            destination,
            attachClient,
            allowance,
            allowed.addresses(),
            started,
            done);
    nextExit(a);
  }

  /** One session's way through the exits; event-loop confined. */
  private static final class Attempts {
    final Channel client;
    final ConnectionInfo info;
    final ProxyPrincipal principal;
    final String protocol;
    final Destination destination;
    final boolean attachClient;
    final UserAllowance allowance;
    final List<InetAddress> addresses;
    final long started;
    final Consumer<Outcome> done;
    final Set<String> failed = new LinkedHashSet<>();
    final Set<String> failedView = Collections.unmodifiableSet(failed);
    int count;
    FailureKind lastKind;
    String lastDetail;

    Attempts(
        Channel client,
        ConnectionInfo info,
        ProxyPrincipal principal,
        String protocol,
        Destination destination,
        boolean attachClient,
        UserAllowance allowance,
        List<InetAddress> addresses,
        long started,
        Consumer<Outcome> done) {
      this.client = client;
      this.info = info;
      this.principal = principal;
      this.protocol = protocol;
      this.destination = destination;
      this.attachClient = attachClient;
      this.allowance = allowance;
      this.addresses = addresses;
      this.started = started;
      this.done = done;
    }
  }

  /**
   * Asks the selector for an exit (excluding those that failed) and connects through it; on failure
   * reports it and tries the next, within the retry budget.
   */
  private void nextExit(Attempts a) {
    if (!a.client.isActive()) {
      a.allowance.release();
      a.done.accept(new Outcome.Failed(FailureKind.GENERAL, "client-gone"));
      return;
    }
    ExitRoute route;
    try {
      route = engine.exitSelector().select(a.principal, a.info, a.destination, a.failedView);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "[{0}] exit selector failed: {1}", a.info.connectionId(), e.toString());
      giveUp(a, a.count == 0 ? FailureKind.GENERAL : a.lastKind, "exit-selector");
      return;
    }
    if (route == null || a.failed.contains(route.id())) {
      if (a.count == 0) {
        LOG.log(
            Level.INFO,
            "[{0}] no exit available for {1} to {2}",
            a.info.connectionId(),
            a.principal.username(),
            a.destination);
        giveUp(a, FailureKind.NO_EXIT, "no-exit");
      } else {
        giveUp(a, a.lastKind, a.lastDetail);
      }
      return;
    }
    a.count++;
    Connector connector = engine.connectors().forRoute(route);
    if (connector == null) {
      LOG.log(Level.WARNING, "[{0}] no connector for exit route {1}", a.info.connectionId(), route);
      failedAttempt(a, route, FailureKind.GENERAL, "no-connector");
      return;
    }
    long connectStart = System.nanoTime();
    io.netty.util.concurrent.Future<Channel> future;
    try {
      future =
          connector.connect(
              route,
              a.addresses,
              a.destination,
              a.client.eventLoop(),
              engine.config().connectTimeout());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "[{0}] connector for exit {1} failed: {2}",
          a.info.connectionId(),
          route.id(),
          e.toString());
      failedAttempt(a, route, FailureKind.GENERAL, e.toString());
      return;
    }
    future.addListener(f -> {
      long nanos = System.nanoTime() - connectStart;
      if (!f.isSuccess()) {
        FailureKind kind = FailureKind.ofConnectError(f.cause());
        safeReport(route, false, nanos);
        LOG.log(
            Level.INFO,
            "[{0}] connect to {1} via {2} failed (attempt {3}): {4}",
            a.info.connectionId(),
            a.destination,
            route.id(),
            a.count,
            String.valueOf(f.cause()));
        failedAttempt(a, route, kind, String.valueOf(f.cause()));
        return;
      }
      Channel upstream = (Channel) f.getNow();
      safeReport(route, true, nanos);
      engine.events().connect(a.protocol, "ok", nanos);
      if (!a.client.isActive()) {
        a.allowance.release();
        upstream.close();
        a.done.accept(new Outcome.Failed(FailureKind.GENERAL, "client-gone"));
        return;
      }
      engine.track(upstream);
      ProxySession session =
          new ProxySession(
              engine.nextId('s'),
              a.principal,
              a.info,
              a.protocol,
              a.destination,
              route,
              a.allowance,
              engine.events());
      engine.registry().register(session);
      session.attach(upstream);
      if (a.attachClient) {
        session.attach(a.client);
      } else {
        session.closeAlso(a.client);
      }
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] session {1} {2} -> {3} via {4}",
            a.info.connectionId(),
            session.id(),
            a.protocol,
            upstream.remoteAddress(),
            route.id());
      }
      a.done.accept(new Outcome.Established(upstream, session));
    });
  }

  private void failedAttempt(Attempts a, ExitRoute route, FailureKind kind, String detail) {
    a.failed.add(route.id());
    a.lastKind = kind;
    a.lastDetail = detail;
    if (a.count > engine.config().exitRetries()) {
      giveUp(a, kind, detail);
    } else {
      nextExit(a);
    }
  }

  private void giveUp(Attempts a, FailureKind kind, String detail) {
    a.allowance.release();
    engine
        .events()
        .connect(
            a.protocol,
            kind.name().toLowerCase(java.util.Locale.ROOT),
            System.nanoTime() - a.started);
    if (a.count > 1) {
      LOG.log(
          Level.INFO,
          "[{0}] connect to {1} failed after {2} exits ({3}): {4}",
          a.info.connectionId(),
          a.destination,
          a.count,
          String.join(", ", a.failed),
          kind);
    }
    a.done.accept(new Outcome.Failed(kind, detail));
  }

  private void safeReport(ExitRoute route, boolean success, long nanos) {
    try {
      engine.exitSelector().report(route, success, nanos);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "exit selector report failed: {0}", e.toString());
    }
  }
}
