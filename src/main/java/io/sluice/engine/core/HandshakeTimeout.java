package io.sluice.engine.core;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose handshake does not finish in time (slowloris). Sits first in the
 * pipeline from accept on; the protocol handler calls {@link #finish} when the handshake is done,
 * which cancels the timer and removes this handler.
 */
public final class HandshakeTimeout extends ChannelDuplexHandler {

  public static final String NAME = "handshake-timeout";
  private static final Logger LOG = System.getLogger(HandshakeTimeout.class.getName());

  private final Duration timeout;
  private final String connectionId;
  private ScheduledFuture<?> timer;

  public HandshakeTimeout(Duration timeout, String connectionId) {
    this.timeout = timeout;
    this.connectionId = connectionId;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  if (ctx.channel().isOpen()) {
                    if (LOG.isLoggable(Level.DEBUG)) {
                      LOG.log(
                          Level.DEBUG,
                          "[{0}] handshake not finished within {1}; closing",
                          connectionId,
                          timeout);
                    }
                    ctx.channel().close();
                  }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Cancels the timer of the channel's pipeline, if any is still present. */
  public static void finish(io.netty.channel.Channel channel) {
    if (channel.pipeline().get(NAME) != null) {
      channel.pipeline().remove(NAME);
    }
  }
}
