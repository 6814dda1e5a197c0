package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** Bandwidth shaping shared by both modes of a tunnel stream (a mapping's up and down buckets). */
final class Shaping {

  private Shaping() {}

  /**
   * Writes {@code held} to {@code to} as far as {@code bucket} allows (everything when it is null),
   * telling {@code counted} each piece's size. A failed write closes {@code to}; its inactivity
   * then closes the other side of the direct stream. Returns what is still held (waiting for
   * tokens), or null when everything went.
   */
  static ByteBuf forwardShaped(
      ByteBuf held, Bucket bucket, Channel to, java.util.function.LongConsumer counted) {
    while (held != null && held.isReadable()) {
      int n = held.readableBytes();
      if (bucket != null) {
        n = (int) bucket.tryConsumeAsMuchAsPossible(n);
        if (n == 0) {
          return held;
        }
      }
      ByteBuf piece;
      if (n == held.readableBytes()) {
        piece = held;
        held = null;
      } else {
        piece = held.readRetainedSlice(n);
      }
      to.writeAndFlush(piece).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      counted.accept(n);
    }
    if (held != null) {
      held.release(); // empty
    }
    return null;
  }

  /**
   * How long to wait before {@code bucket} has a useful amount of tokens again: up to 4 KiB of
   * {@code wanted}, or a single token when that is more than the bucket's capacity (bucket4j then
   * answers "never"), at least 1 ms and at most 1 s.
   */
  static long refillNanos(Bucket bucket, long wanted) {
    long nanos =
        bucket
            .estimateAbilityToConsume(Math.max(1, Math.min(wanted, 4096)))
            .getNanosToWaitForRefill();
    if (nanos == Long.MAX_VALUE) {
      nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }
    return Math.max(1_000_000L, Math.min(nanos, 1_000_000_000L));
  }
}
