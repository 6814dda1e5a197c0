package io.sluice.engine.support;

import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.exit.ExitConnectors;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.Transport;
import io.sluice.engine.session.SessionRegistry;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** An engine context for codec tests on EmbeddedChannel (no sockets, no event loops). */
public final class EmbeddedContext {

  private EmbeddedContext() {}

  public static EngineContext create(Authenticator auth, EngineEvents events) {
    return new EngineContext(
        EngineConfig.builder().build(),
        Transport.select(false),
        auth,
        new DestinationGate(
            host -> CompletableFuture.failedFuture(new java.net.UnknownHostException(host)),
            DestinationPolicy.allowAll()),
        ExitSelector.direct(),
        new ExitConnectors(Map.of()),
        events,
        new SessionRegistry(events),
        new UserLimiter(),
        new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE),
        new AtomicLong());
  }
}
