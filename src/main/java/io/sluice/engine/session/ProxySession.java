package io.sluice.engine.session;

import io.netty.channel.Channel;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.SessionView;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One relayed session (CONNECT tunnel, BIND pair, UDP association, HTTP forward to one origin).
 * Owns the channels {@link #attach attached} to it: closing the session closes them all, and the
 * session ends (registry removal, slot release, {@code sessionClosed}) when the last one has
 * closed.
 */
public final class ProxySession implements SessionView {

  private final String id;
  private final ProxyPrincipal principal;
  private final ConnectionInfo connection;
  private final String protocol;
  private final Destination destination;
  private final ExitRoute exit;
  private final Instant startedAt = Instant.now();
  private final UserAllowance allowance;
  private final EngineEvents events;
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong down = new AtomicLong();
  private final List<Channel> channels = new CopyOnWriteArrayList<>();
  private final List<Channel> alsoClose = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Runnable onEnd = () -> {};

  public ProxySession(
      String id,
      ProxyPrincipal principal,
      ConnectionInfo connection,
      String protocol,
      Destination destination,
      ExitRoute exit,
      UserAllowance allowance,
      EngineEvents events) {
    this.id = id;
    this.principal = principal;
    this.connection = connection;
    this.protocol = protocol;
    this.destination = destination;
    this.exit = exit;
    this.allowance = allowance;
    this.events = events;
  }

  void onEnd(Runnable r) {
    onEnd = r;
  }

  /** Ties a channel's life to this session; a channel already closed ends the session at once. */
  public void attach(Channel channel) {
    channels.add(channel);
    channel
        .closeFuture()
        .addListener(f -> {
          if (noneOpen()) {
            end();
          }
        });
  }

  private boolean noneOpen() {
    for (Channel c : channels) {
      if (c.isOpen()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A channel that {@link #close()} closes too but whose life does not bound the session (the
   * client connection of an HTTP forward session, which outlives one origin).
   */
  public void closeAlso(Channel channel) {
    alsoClose.add(channel);
  }

  /** Closes every attached channel; the session ends when they are closed. */
  public void close() {
    for (Channel c : alsoClose) {
      c.close();
    }
    for (Channel c : channels) {
      c.close();
    }
    if (channels.isEmpty()) {
      end();
    }
  }

  private void end() {
    if (ended.compareAndSet(false, true)) {
      allowance.release();
      onEnd.run();
    }
  }

  public boolean isEnded() {
    return ended.get();
  }

  public UserAllowance allowance() {
    return allowance;
  }

  public void addUp(long n) {
    up.addAndGet(n);
    events.bytes(this, n, 0);
  }

  public void addDown(long n) {
    down.addAndGet(n);
    events.bytes(this, 0, n);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ProxyPrincipal principal() {
    return principal;
  }

  @Override
  public ConnectionInfo connection() {
    return connection;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Destination destination() {
    return destination;
  }

  @Override
  public ExitRoute exit() {
    return exit;
  }

  @Override
  public long bytesUp() {
    return up.get();
  }

  @Override
  public long bytesDown() {
    return down.get();
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public String toString() {
    return id + " " + protocol + " " + principal.username() + " -> " + destination;
  }
}
