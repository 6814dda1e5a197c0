package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopThreadsTest {

  /** What an event loop sees of Netty's per-thread pooling, read on the loop itself. */
  record Pooling(boolean plainThread, boolean fastThreadLocal, boolean bufferReused) {}

  private static Pooling onLoop(Transport transport, ThreadFactory threads) throws Exception {
    EventLoopGroup group = transport.newGroup(1, threads);
    try {
      return group
          .next()
          .submit(() -> {
            // The Recycler pools one new instance in eight (io.netty.recycler.ratio), so look
            // for any instance handed out twice among a few dozen allocate/release rounds;
            // without per-thread pooling every round gets a new one.
            Set<ByteBuf> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            boolean same = false;
            for (int i = 0; i < 64 && !same; i++) {
              ByteBuf b = Transport.ALLOCATOR.directBuffer(256);
              // (a leak-detecting wrapper, when another test turned detection up, is new
              // each time: compare the pooled buffer inside it)
              same = !seen.add(b.unwrap() != null ? b.unwrap() : b);
              b.release();
            }
            return new Pooling(
                !(Thread.currentThread() instanceof FastThreadLocalThread),
                FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals(),
                same);
          })
          .get(10, TimeUnit.SECONDS);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void plainHostThreadsGetNettysPerThreadPools() throws Exception {
    // A ManagedThreadFactory hands out plain threads, as this factory does.
    ThreadFactory plain = r -> Thread.ofPlatform().daemon().name("host-loop").unstarted(r);
    for (Transport transport : new Transport[] {Transport.select(true), Transport.select(false)}) {
      Pooling pooling = onLoop(transport, plain);
      assertThat(pooling.plainThread()).as(transport.name()).isTrue();
      assertThat(pooling.fastThreadLocal()).as(transport.name()).isTrue();
      // The Recycler hands the released buffer instance out again only on a registered thread.
      assertThat(pooling.bufferReused()).as(transport.name()).isTrue();
    }
  }

  @Test
  void nettyThreadsRunTheLoopAsTheyAre() throws Exception {
    Pooling pooling = onLoop(Transport.select(true), new DefaultThreadFactory("netty-loop", true));
    assertThat(pooling.plainThread()).isFalse();
    assertThat(pooling.fastThreadLocal()).isTrue();
    assertThat(pooling.bufferReused()).isTrue();
  }

  @Test
  void theThreadIsUnregisteredWhenItsLoopEnds() throws Exception {
    FastThreadLocal<String> local = new FastThreadLocal<>();
    boolean[] seen = new boolean[4];
    Thread t =
        Thread.ofPlatform()
            .unstarted(() -> {
              seen[0] = FastThreadLocalThread.currentThreadHasFastThreadLocal();
              LoopThreads.runWithFastThreadLocals(() -> {
                seen[1] = FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals();
                local.set("loop");
              });
              // the same thread, after its loop has returned
              seen[2] = FastThreadLocalThread.currentThreadHasFastThreadLocal();
              seen[3] = local.isSet();
            });
    t.start();
    t.join(5_000);
    assertThat(seen[0]).as("registered before the loop").isFalse();
    assertThat(seen[1]).as("registered during the loop").isTrue();
    assertThat(seen[2]).as("registered after the loop").isFalse();
    assertThat(seen[3]).as("thread-locals left after the loop").isFalse();
  }
}
