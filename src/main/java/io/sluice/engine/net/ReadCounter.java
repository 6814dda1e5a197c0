package io.sluice.engine.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The receive-buffer allocator of an epoll socket, wrapped so that every read's result can be
 * counted. Netty reports the result of each {@code read(2)} and each {@code splice(2)} from the
 * socket into its pipe through {@link RecvByteBufAllocator.Handle#lastBytesRead(int)}; a relay that
 * splices (and so never sees the bytes) counts them here, exactly, at the time they are read.
 *
 * <p>Installed when a channel is created (Netty creates a channel's handle once, at its first
 * read); counts nothing until {@link #countInto} is called. Event-loop confined.
 */
public final class ReadCounter implements RecvByteBufAllocator {

  private final RecvByteBufAllocator netty;
  private LongConsumer sink;
  private long lastReadNanos;
  private long roundBytes;

  private ReadCounter(RecvByteBufAllocator netty) {
    this.netty = netty;
  }

  /** Wraps the allocator of an epoll socket channel; other channels are left alone. */
  public static void install(Channel ch) {
    if (ch instanceof EpollSocketChannel) {
      ch.config().setRecvByteBufAllocator(new ReadCounter(ch.config().getRecvByteBufAllocator()));
    }
  }

  /** The counter of a channel {@link #install} prepared, or null. */
  public static ReadCounter of(Channel ch) {
    return ch.config().getRecvByteBufAllocator() instanceof ReadCounter c ? c : null;
  }

  /** From now on every byte read from the channel is reported to {@code sink}. */
  public void countInto(LongConsumer sink) {
    this.sink = sink;
    lastReadNanos = System.nanoTime();
  }

  /** {@link System#nanoTime()} of the last counted read (or of {@link #countInto}). */
  public long lastReadNanos() {
    return lastReadNanos;
  }

  /** Bytes read in the current (or last) read round: Netty's reads between two handle resets. */
  public long roundBytes() {
    return roundBytes;
  }

  void read(int n) {
    LongConsumer s = sink;
    if (n > 0 && s != null) {
      lastReadNanos = System.nanoTime();
      roundBytes += n;
      s.accept(n);
    }
  }

  @Override
  public Handle newHandle() {
    return new CountingHandle((ExtendedHandle) netty.newHandle());
  }

  private final class CountingHandle implements ExtendedHandle {
    private final ExtendedHandle netty;

    CountingHandle(ExtendedHandle netty) {
      this.netty = netty;
    }

    @Override
    public void lastBytesRead(int bytes) {
      netty.lastBytesRead(bytes);
      read(bytes);
    }

    @Override
    public int lastBytesRead() {
      return netty.lastBytesRead();
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return netty.allocate(alloc);
    }

    @Override
    public int guess() {
      return netty.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
      roundBytes = 0;
      netty.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      netty.incMessagesRead(numMessages);
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      netty.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return netty.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return netty.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return netty.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      netty.readComplete();
    }
  }
}
