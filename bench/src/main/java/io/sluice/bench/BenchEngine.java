package io.sluice.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.policy.DefaultDestinationPolicy;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Sluice engine as the benchmark runs it, in its own JVM: a SOCKS listener and an HTTP
 * listener on 127.0.0.1, username/password authentication ({@code bench}/{@code bench}) by a
 * trivial in-memory authenticator, and the production {@link DefaultDestinationPolicy} with an
 * allow list re-opening only the benchmark targets' loopback ports. Prints {@code READY} when
 * bound; stops when standard input closes (the driver ends) or on SIGTERM.
 *
 * <p>Usage: {@code BenchEngine <socksPort> <httpPort> <allowList>}, e.g. {@code 21080 23128
 * 127.0.0.1/32:25001-25003}.
 */
public final class BenchEngine {

  public static void main(String[] args) throws Exception {
    int socksPort = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    String allow = args[2];
    ProxyPrincipal user = new ProxyPrincipal(1L, "bench", UserLimits.UNLIMITED, List.of(), null);
    Authenticator auth = new Authenticator() {
      @Override
      public CompletionStage<AuthResult> authenticate(ConnectionInfo c, String username, String password) {
        return CompletableFuture.completedFuture("bench".equals(username) && "bench".equals(password)
            ? AuthResult.accepted(user) : AuthResult.rejected("bad-credentials"));
      }

      @Override
      public CompletionStage<AuthResult> authenticateBySource(ConnectionInfo c) {
        return CompletableFuture.completedFuture(AuthResult.rejected("source-not-whitelisted"));
      }
    };
    EngineConfig config = EngineConfig.builder()
        .listener(new ListenerConfig("socks", new InetSocketAddress("127.0.0.1", socksPort), ListenerKind.SOCKS))
        .listener(new ListenerConfig("http", new InetSocketAddress("127.0.0.1", httpPort), ListenerKind.HTTP))
        .idleTimeout(Duration.ofMinutes(10))
        // as in production: epoll where available; BENCH_EPOLL=0 (or -Dbench.epoll=false) runs NIO,
        // as SLUICE_PROXY_NATIVE_TRANSPORT=false does for the product (EngineConfig#preferNativeTransport)
        .preferNativeTransport(Boolean.parseBoolean(System.getProperty("bench.epoll", "true"))
            && !"0".equals(System.getenv("BENCH_EPOLL")))
        // splice(2) relays on epoll as in production; BENCH_SPLICE=0 copies (sluice.proxy.splice=false)
        .splice(Boolean.parseBoolean(System.getProperty("bench.splice", "true"))
            && !"0".equals(System.getenv("BENCH_SPLICE")))
        // as sluice.proxy.splice-after-bytes (default 64 KiB); BENCH_SPLICE_AFTER=0 splices at once
        .spliceAfterBytes(Integer.parseInt(System.getenv().getOrDefault("BENCH_SPLICE_AFTER", "65536")))
        .handshakeTimeout(Duration.ofSeconds(30))
        .build();
    ProxyEngine engine = new ProxyEngine(config, new DefaultThreadFactory("sluice", true), auth,
        new DefaultDestinationPolicy().withAllowList(allow), ExitSelector.direct(), EngineEvents.NONE);
    engine.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.stop(Duration.ZERO)));
    System.out.println("READY " + engine.transportName() + (config.splice() ? "+splice" : "") + " ioThreads="
        + Runtime.getRuntime().availableProcessors());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the driver to go away
    }
    engine.stop(Duration.ZERO);
    System.exit(0);
  }
}
