package io.sluice.gateway;

import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.spi.ListenerTag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The proxy front door's MicroProfile Config keys (docs/configuration.md). */
@ApplicationScoped
public class ProxySettings {

  @Inject
  @ConfigProperty(name = "sluice.proxy.bind", defaultValue = "127.0.0.1")
  String bind;

  @Inject
  @ConfigProperty(name = "sluice.socks.port", defaultValue = "1080")
  int socksPort;

  @Inject
  @ConfigProperty(name = "sluice.http-proxy.port", defaultValue = "3128")
  int httpPort;

  @Inject
  @ConfigProperty(name = "sluice.mixed.port", defaultValue = "0")
  int mixedPort;

  @Inject
  @ConfigProperty(name = "sluice.proxy.auth-required", defaultValue = "true")
  boolean authRequired;

  /**
   * epoll where Linux has it (the default), NIO when false; see EngineConfig#preferNativeTransport.
   */
  @Inject
  @ConfigProperty(name = "sluice.proxy.native-transport", defaultValue = "true")
  boolean nativeTransport;

  /** splice(2) relays for unshaped sessions on epoll; see EngineConfig#splice. */
  @Inject
  @ConfigProperty(name = "sluice.proxy.splice", defaultValue = "true")
  boolean splice;

  /** Bytes a direction copies before it splices; see EngineConfig#spliceAfterBytes. */
  @Inject
  @ConfigProperty(name = "sluice.proxy.splice-after-bytes", defaultValue = "65536")
  int spliceAfterBytes;

  @Inject
  @ConfigProperty(name = "sluice.allow.destinations", defaultValue = " ")
  String allowDestinations;

  @Inject
  @ConfigProperty(name = "sluice.deny.destinations", defaultValue = " ")
  String denyDestinations;

  @Inject
  @ConfigProperty(name = "sluice.firewall.transparent-port", defaultValue = "0")
  int transparentPort;

  @Inject
  @ConfigProperty(name = "sluice.firewall.transparent-bind", defaultValue = "0.0.0.0")
  String transparentBind;

  @Inject
  @ConfigProperty(name = "sluice.proxy.source-whitelist", defaultValue = " ")
  String sourceWhitelist;

  @Inject
  @ConfigProperty(name = "sluice.proxy.handshake-timeout-seconds", defaultValue = "10")
  int handshakeSeconds;

  @Inject
  @ConfigProperty(name = "sluice.proxy.connect-timeout-seconds", defaultValue = "10")
  int connectSeconds;

  @Inject
  @ConfigProperty(name = "sluice.proxy.idle-timeout-seconds", defaultValue = "300")
  int idleSeconds;

  @Inject
  @ConfigProperty(name = "sluice.proxy.max-http-header-bytes", defaultValue = "65536")
  int maxHeaderBytes;

  @Inject
  @ConfigProperty(name = "sluice.proxy.drain-seconds", defaultValue = "10")
  int drainSeconds;

  @Inject
  @ConfigProperty(name = "sluice.auth.cache-seconds", defaultValue = "5")
  int authCacheSeconds;

  @Inject
  @ConfigProperty(name = "sluice.usage.flush-seconds", defaultValue = "10")
  int usageFlushSeconds;

  @Inject
  @ConfigProperty(name = "sluice.proxy.stale-max-seconds", defaultValue = "900")
  int staleMaxSeconds;

  @Inject
  @ConfigProperty(name = "sluice.proxy.auth-load-timeout-ms", defaultValue = "1000")
  int authLoadTimeoutMs;

  @Inject
  @ConfigProperty(name = "sluice.proxy.snapshot-seconds", defaultValue = "60")
  int snapshotSeconds;

  @Inject
  @ConfigProperty(name = "sluice.exits.refresh-seconds", defaultValue = "10")
  int exitRefreshSeconds;

  @Inject
  @ConfigProperty(name = "sluice.exits.retries", defaultValue = "2")
  int exitRetries;

  public EngineConfig engineConfig() {
    EngineConfig.Builder b =
        EngineConfig.builder()
            .handshakeTimeout(Duration.ofSeconds(handshakeSeconds))
            .connectTimeout(Duration.ofSeconds(connectSeconds))
            .idleTimeout(Duration.ofSeconds(idleSeconds))
            .maxHttpHeaderBytes(maxHeaderBytes)
            .exitRetries(exitRetries)
            .preferNativeTransport(nativeTransport)
            .splice(splice)
            .spliceAfterBytes(spliceAfterBytes);
    if (socksPort > 0) {
      b.listener(
          ListenerConfig.of(ListenerTag.SOCKS, bind, socksPort, ListenerKind.SOCKS, authRequired));
    }
    if (httpPort > 0) {
      b.listener(
          ListenerConfig.of(ListenerTag.HTTP, bind, httpPort, ListenerKind.HTTP, authRequired));
    }
    if (mixedPort > 0) {
      b.listener(
          ListenerConfig.of(ListenerTag.MIXED, bind, mixedPort, ListenerKind.MIXED, authRequired));
    }
    if (transparentPort > 0) {
      b.listener(
          ListenerConfig.of(
              ListenerTag.TRANSPARENT,
              transparentBind.trim(),
              transparentPort,
              ListenerKind.TRANSPARENT,
              true));
    }
    return b.build();
  }

  public String allowDestinations() {
    return allowDestinations.trim();
  }

  public String denyDestinations() {
    return denyDestinations.trim();
  }

  public String sourceWhitelist() {
    return sourceWhitelist.trim();
  }

  public String bind() {
    return bind;
  }

  public int exitRefreshSeconds() {
    return exitRefreshSeconds;
  }

  public Duration drain() {
    return Duration.ofSeconds(drainSeconds);
  }

  public Duration authCache() {
    return Duration.ofSeconds(authCacheSeconds);
  }

  /** How long after the database stopped answering the proxy serves the last known accounts. */
  public Duration staleMax() {
    return Duration.ofSeconds(staleMaxSeconds);
  }

  /** How long a proxy-user load may take before the last known account answers instead. */
  public Duration authLoadTimeout() {
    return Duration.ofMillis(authLoadTimeoutMs);
  }

  /** How often every enabled account is loaded into the last-known-good snapshot. */
  public int snapshotSeconds() {
    return snapshotSeconds;
  }

  public int usageFlushSeconds() {
    return usageFlushSeconds;
  }
}
