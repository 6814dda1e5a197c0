package io.sluice.gateway;

import io.sluice.engine.ProxyEngine;
import io.sluice.engine.mux.TunnelRouter;
import io.sluice.engine.policy.DefaultDestinationPolicy;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.exits.app.ExitActivity;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.firewall.app.VmDirectory;
import io.sluice.users.app.DbAccountSource;
import io.sluice.users.app.UsageService;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Builds the proxy engine and the SPI adapters it calls from the proxy settings: the global source
 * whitelist, the destination policy, the exit activity (engine events to metrics and usage), the
 * caching authenticator with its first account snapshot, the engine itself, and their gauges. No
 * state and no scheduling: {@link ProxyHost} calls it step by step while it starts the engine and
 * keeps what it returns.
 */
final class EngineAssembly {

  private final ProxySettings settings;
  private final MetricRegistry metrics;

  EngineAssembly(ProxySettings settings, MetricRegistry metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The global source whitelist from the settings; {@link SourceWhitelist#EMPTY} when unset. */
  SourceWhitelist globalWhitelist() {
    return settings.sourceWhitelist().isEmpty()
        ? SourceWhitelist.EMPTY
        : SourceWhitelist.parse(settings.sourceWhitelist());
  }

  /** The allowed and denied destinations, this host's own addresses denied. */
  DefaultDestinationPolicy policy() {
    return new DefaultDestinationPolicy(
        settings.allowDestinations(),
        settings.denyDestinations(),
        DefaultDestinationPolicy.localInterfaceAddresses());
  }

  /** Engine events to metrics and usage, with each session's exit from the snapshot. */
  ExitActivity activity(UsageService usage, Supplier<ExitSnapshot> exits) {
    return new ExitActivity(new MetricsEvents(metrics, usage.recorder()), exits);
  }

  /**
   * The caching authenticator over the enabled accounts, VM owners from the VM directory, its first
   * account snapshot loaded, and its {@code sluice_proxy_stale_seconds} gauge.
   */
  CachingAuthenticator authenticator(
      DbAccountSource accounts,
      Executor executor,
      SourceWhitelist global,
      Predicate<String> knownPool,
      Supplier<SourceWhitelist> clientWhitelist,
      VmDirectory vms) {
    CachingAuthenticator auth =
        new CachingAuthenticator(
            accounts,
            executor,
            Clock.systemUTC(),
            settings.authCache(),
            () -> global,
            knownPool,
            clientWhitelist,
            settings.authLoadTimeout(),
            settings.staleMax());
    auth.vmOwners(address -> vms.byAddress(address).map(o -> o.username()));
    auth.refreshSnapshot(accounts::enabled);
    metrics.gauge("sluice_proxy_stale_seconds", auth, CachingAuthenticator::staleSeconds);
    return auth;
  }

  /**
   * The engine (not started yet) on the engine threads, routing tunnel ports through {@code
   * tunnels}.
   */
  ProxyEngine engine(
      ThreadFactory threads,
      CachingAuthenticator auth,
      DestinationPolicy policy,
      ExitSelector selector,
      ExitActivity activity,
      TunnelRouter tunnels) {
    ProxyEngine e =
        new ProxyEngine(settings.engineConfig(), threads, auth, policy, selector, activity);
    e.tunnelRouter(tunnels);
    return e;
  }

  /** The {@code sluice_proxy_active_connections} gauge and one {@code sluice_exits} per state. */
  void gauges(ProxyEngine e, AtomicReference<ExitSnapshot> exits) {
    metrics.gauge("sluice_proxy_active_connections", e, ProxyEngine::activeSessionCount);
    for (ExitState s : ExitState.values()) {
      String state = s.wireName();
      metrics.gauge(
          "sluice_exits",
          exits,
          x -> ProxyViews.countByState(x.get()).get(state),
          new Tag("state", state));
    }
  }
}
