package io.sluice.engine.support;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.spi.ExitSelector;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An engine on 127.0.0.1 ephemeral ports with listeners {@code socks}, {@code http}, {@code mixed}
 * (auth required) and {@code open} (mixed, no auth), test SPI implementations, and Netty's leak
 * detector at PARANOID.
 */
public final class TestEngine implements AutoCloseable {

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  public final TestAuth auth = new TestAuth();
  public final TestPolicy policy = new TestPolicy();
  public final RecordingEvents events = new RecordingEvents();
  public final ProxyEngine engine;

  public TestEngine() {
    this(b -> {});
  }

  public TestEngine(Consumer<EngineConfig.Builder> tune) {
    this(tune, ExitSelector.direct());
  }

  public TestEngine(Consumer<EngineConfig.Builder> tune, ExitSelector selector) {
    auth.user("alice", "secret").user("bob", "hunter2");
    EngineConfig.Builder b =
        EngineConfig.builder()
            .listener(
                new ListenerConfig(
                    "socks", new InetSocketAddress("127.0.0.1", 0), ListenerKind.SOCKS))
            .listener(
                new ListenerConfig(
                    "http", new InetSocketAddress("127.0.0.1", 0), ListenerKind.HTTP))
            .listener(
                new ListenerConfig(
                    "mixed", new InetSocketAddress("127.0.0.1", 0), ListenerKind.MIXED))
            .listener(
                new ListenerConfig(
                    "open", new InetSocketAddress("127.0.0.1", 0), ListenerKind.MIXED, false))
            .ioThreads(2)
            .resolverThreads(2);
    tune.accept(b);
    engine =
        new ProxyEngine(
            b.build(),
            new DefaultThreadFactory("sluice-test", true),
            auth,
            policy,
            selector,
            events);
    engine.start();
  }

  public int port(String listener) {
    return engine.listenerStates().get(listener).port();
  }

  @Override
  public void close() {
    engine.stop(Duration.ZERO);
  }
}
