package io.sluice.engine.session;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

/**
 * Decides {@code autoRead} of one channel from independent reasons to pause (backpressure from the
 * peer, bandwidth shaping, a pending asynchronous step). Reading resumes only when no reason is
 * left. Event-loop confined.
 */
public final class ReadGate {

  /** The peer cannot take more writes. */
  public static final int BACKPRESSURE = 1;

  /** The user's bandwidth bucket is in debt. */
  public static final int SHAPER = 2;

  /** Set up not finished. */
  public static final int SETUP = 4;

  /** A tunnel stream has no send credit left (waits for the agent's WINDOW). */
  public static final int CREDIT = 8;

  private final Channel channel;
  private int reasons;

  public ReadGate(Channel channel, int initialReasons) {
    this.channel = channel;
    this.reasons = initialReasons;
    channel.config().setAutoRead(initialReasons == 0);
  }

  public void pause(int reason) {
    reasons |= reason;
    channel.config().setAutoRead(false);
  }

  public void resume(int reason) {
    reasons &= ~reason;
    // After EOF there is nothing left to read (and epoll may no longer watch the descriptor).
    if (reasons == 0
        && channel.isActive()
        && !(channel instanceof DuplexChannel d && d.isInputShutdown())) {
      channel.config().setAutoRead(true);
    }
  }

  public boolean isPaused(int reason) {
    return (reasons & reason) != 0;
  }
}
