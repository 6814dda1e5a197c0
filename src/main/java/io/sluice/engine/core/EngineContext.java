package io.sluice.engine.core;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.exit.ExitConnectors;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.Transport;
import io.sluice.engine.session.SessionRegistry;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a connection's handlers share, built once per engine. Immutable references; the
 * registry, limiter and channel group are thread-safe.
 */
public record EngineContext(
    EngineConfig config,
    Transport transport,
    Authenticator authenticator,
    DestinationGate gate,
    ExitSelector exitSelector,
    ExitConnectors connectors,
    EngineEvents events,
    SessionRegistry registry,
    UserLimiter limiter,
    ChannelGroup connections,
    AtomicLong idSequence) {

  /** A short id, unique within this engine, e.g. {@code c1f} or {@code s20}. */
  public String nextId(char prefix) {
    return prefix + Long.toString(idSequence.incrementAndGet(), 36);
  }

  /** Counts the channel as a live connection until it closes. */
  public void track(Channel channel) {
    connections.add(channel);
  }
}
