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
 * detector at PARANOID, on the transport {@link #NATIVE} names.
 */
public final class TestEngine implements AutoCloseable {

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  /**
   * The transport the engine tests run on unless a test picks one: native (epoll) by default, as in
   * the product; {@code -Dsluice.test.native-transport=false} runs the suite on NIO.
   */
  public static final boolean NATIVE =
      Boolean.parseBoolean(System.getProperty("sluice.test.native-transport", "true"));

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
            .resolverThreads(2)
            .preferNativeTransport(NATIVE);
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
