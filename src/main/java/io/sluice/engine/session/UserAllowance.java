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
  private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

  UserAllowance(Bucket up, Bucket down, Runnable releaser) {
    this.up = up;
    this.down = down;
    this.releaser = releaser;
  }

  /** An allowance without limits (for tests and anonymous principals without limits). */
  public static UserAllowance unlimited() {
    return new UserAllowance(null, null, () -> {});
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
