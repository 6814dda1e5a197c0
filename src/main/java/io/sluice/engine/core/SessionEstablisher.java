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
import java.util.function.Consumer;

/**
 * The connect step shared by every front end: user limits, destination gate (resolve once,
 * check all), exit selection, connect through the route's connector, session registration.
 * The callback always runs on the client's event loop.
 */
public final class SessionEstablisher {

  private static final Logger LOG = System.getLogger(SessionEstablisher.class.getName());

  private final EngineContext engine;

  public SessionEstablisher(EngineContext engine) {
    this.engine = engine;
  }

  /**
   * @param client the client channel (its event loop runs the callback; if it closes
   *     meanwhile, the upstream is closed and the callback gets {@link FailureKind#GENERAL})
   * @param attachClient whether the client channel bounds the session's life (false for HTTP
   *     forward, where it is only closed along with the session)
   */
  public void establish(Channel client, ConnectionInfo info, ProxyPrincipal principal, String protocol,
      Destination destination, boolean attachClient, Consumer<Outcome> done) {
    EventLoop loop = client.eventLoop();
    long started = System.nanoTime();
    Admission admission = engine.limiter().admit(principal);
    if (admission instanceof Admission.Refused refused) {
      LOG.log(Level.INFO, "[{0}] user {1} refused: {2}", info.connectionId(), principal.username(), refused.reason());
      done.accept(new Outcome.Failed(FailureKind.LIMIT, refused.reason()));
      return;
    }
    UserAllowance allowance = ((Admission.Admitted) admission).allowance();
    engine.gate().admit(principal, destination.host(), destination.port()).whenComplete((result, error) ->
        loop.execute(() -> {
          if (error != null) {
            allowance.release();
            LOG.log(Level.WARNING, "[{0}] destination gate failed for {1}: {2}", info.connectionId(), destination, error);
            done.accept(new Outcome.Failed(FailureKind.GENERAL, String.valueOf(error)));
          } else if (!client.isActive()) {
            allowance.release();
            done.accept(new Outcome.Failed(FailureKind.GENERAL, "client-gone"));
          } else {
            afterGate(client, info, principal, protocol, destination, attachClient, allowance, result, started, done);
          }
        }));
  }

  private void afterGate(Channel client, ConnectionInfo info, ProxyPrincipal principal, String protocol,
      Destination destination, boolean attachClient, UserAllowance allowance, GateResult result, long started,
      Consumer<Outcome> done) {
    if (result instanceof GateResult.Denied denied) {
      allowance.release();
      LOG.log(Level.INFO, "[{0}] {1} denied {2} ({3}): {4}", info.connectionId(), principal.username(), destination,
          denied.address().getHostAddress(), denied.reason());
      engine.events().connect(protocol, "denied", System.nanoTime() - started);
      done.accept(new Outcome.Failed(FailureKind.DENIED, denied.reason()));
      return;
    }
    if (result instanceof GateResult.Unresolvable u) {
      allowance.release();
      LOG.log(Level.INFO, "[{0}] cannot resolve {1}: {2}", info.connectionId(), destination, u.reason());
      engine.events().connect(protocol, "unresolvable", System.nanoTime() - started);
      done.accept(new Outcome.Failed(FailureKind.UNRESOLVABLE, u.reason()));
      return;
    }
    GateResult.Allowed allowed = (GateResult.Allowed) result;
    ExitRoute route;
    try {
      route = engine.exitSelector().select(principal, info, destination);
    } catch (RuntimeException e) {
      allowance.release();
      LOG.log(Level.WARNING, "[{0}] exit selector failed: {1}", info.connectionId(), e.toString());
      done.accept(new Outcome.Failed(FailureKind.GENERAL, "exit-selector"));
      return;
    }
    Connector connector = engine.connectors().forRoute(route);
    if (connector == null) {
      allowance.release();
      LOG.log(Level.WARNING, "[{0}] no connector for exit route {1}", info.connectionId(), route);
      done.accept(new Outcome.Failed(FailureKind.GENERAL, "no-connector"));
      return;
    }
    long connectStart = System.nanoTime();
    connector.connect(route, allowed.addresses(), destination, client.eventLoop(), engine.config().connectTimeout())
        .addListener(f -> {
          long nanos = System.nanoTime() - connectStart;
          if (!f.isSuccess()) {
            allowance.release();
            FailureKind kind = FailureKind.ofConnectError(f.cause());
            engine.exitSelector().report(route, false, nanos);
            engine.events().connect(protocol, kind.name().toLowerCase(java.util.Locale.ROOT), nanos);
            LOG.log(Level.INFO, "[{0}] connect to {1} via {2} failed: {3}", info.connectionId(), destination,
                route.id(), String.valueOf(f.cause()));
            done.accept(new Outcome.Failed(kind, String.valueOf(f.cause())));
            return;
          }
          Channel upstream = (Channel) f.getNow();
          engine.exitSelector().report(route, true, nanos);
          engine.events().connect(protocol, "ok", nanos);
          if (!client.isActive()) {
            allowance.release();
            upstream.close();
            done.accept(new Outcome.Failed(FailureKind.GENERAL, "client-gone"));
            return;
          }
          engine.track(upstream);
          ProxySession session = new ProxySession(engine.nextId('s'), principal, info, protocol, destination, route,
              allowance, engine.events());
          engine.registry().register(session);
          session.attach(upstream);
          if (attachClient) {
            session.attach(client);
          } else {
            session.closeAlso(client);
          }
          if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "[{0}] session {1} {2} -> {3} via {4}", info.connectionId(), session.id(), protocol,
              upstream.remoteAddress(), route.id());
          }
          done.accept(new Outcome.Established(upstream, session));
        });
  }
}
