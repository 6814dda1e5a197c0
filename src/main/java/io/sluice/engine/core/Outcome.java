package io.sluice.engine.core;

import io.netty.channel.Channel;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.session.ProxySession;

/** Result of {@link SessionEstablisher#establish}: a connected upstream, or why not. */
public sealed interface Outcome {

  /** Connected; the session is registered and the upstream channel attached to it. */
  record Established(Channel upstream, ProxySession session) implements Outcome {}

  /** Not connected; {@code detail} is for logs only. */
  record Failed(FailureKind kind, String detail) implements Outcome {}
}
