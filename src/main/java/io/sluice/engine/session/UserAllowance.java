package io.sluice.engine.session;

import io.github.bucket4j.Bucket;

/**
 * What an admitted session got from {@link UserLimiter}: the user's shared bandwidth buckets
 * (either may be {@code null} for unlimited) and the concurrency slot, returned exactly once by
 * {@link #release()}.
 */
public final class UserAllowance {

  private final Bucket up;
  private final Bucket down;
  private final Runnable releaser;
  private final java.util.concurrent.atomic.AtomicBoolean released =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final long upBps;
  private final long downBps;

  UserAllowance(Bucket up, Bucket down, long upBps, long downBps, Runnable releaser) {
    this.up = up;
    this.down = down;
    this.upBps = upBps;
    this.downBps = downBps;
    this.releaser = releaser;
  }

  /**
   * Makes a shaped channel read in small pieces (a twentieth of a second's worth, 512 B to 64 KiB)
   * so that pausing after each read keeps the rate close to the limit. No-op when {@code
   * bytesPerSecond} is 0 (unlimited).
   */
  public static void limitReadSize(io.netty.channel.Channel channel, long bytesPerSecond) {
    if (bytesPerSecond > 0) {
      int chunk = (int) Math.max(512, Math.min(64 * 1024, bytesPerSecond / 20));
      channel
          .config()
          .setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(chunk));
    }
  }

  public long upBps() {
    return upBps;
  }

  public long downBps() {
    return downBps;
  }

  /** An allowance without limits (for tests and anonymous principals without limits). */
  public static UserAllowance unlimited() {
    return new UserAllowance(null, null, 0, 0, () -> {});
  }

  /** Client-to-destination bucket, or {@code null}. */
  public Bucket up() {
    return up;
  }

  /** Destination-to-client bucket, or {@code null}. */
  public Bucket down() {
    return down;
  }

  /** Gives the concurrency slot back; idempotent. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      releaser.run();
    }
  }
}
