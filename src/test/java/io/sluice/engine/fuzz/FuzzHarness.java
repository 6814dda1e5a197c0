package io.sluice.engine.fuzz;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.exit.ExitConnectors;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.Transport;
import io.sluice.engine.session.SessionRegistry;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Drives the production front-end handlers on an {@link EmbeddedChannel} with fuzzer input and
 * collects what they answered. Everything is synchronous: the authenticator completes at once (user
 * {@code alice}/{@code secret}; source authentication rejected), names never resolve, and no exit
 * connector exists, so every request that passes decoding ends in a failure reply.
 *
 * <p>Leak checks: every input buffer is allocated from the (pooled, leak-tracked) default allocator
 * and must have been released when the channel is finished; Netty's detector runs at PARANOID with
 * a listener that records reports, and {@link #assertNoLeakReports} forces a GC and fails on any
 * report.
 */
final class FuzzHarness {

  static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1080);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);
  private static final AtomicLong RUNS = new AtomicLong();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
      detector.setLeakListener((type, records) -> LEAKS.add(type + " " + records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    // handlers log failures at INFO/WARNING; thousands of executions would flood the output
    java.util.logging.Logger.getLogger("io.sluice.engine").setLevel(java.util.logging.Level.SEVERE);
  }

  private FuzzHarness() {}

  /** An EmbeddedChannel with socket addresses (the handlers cast them to InetSocketAddress). */
  static final class LoopbackChannel extends EmbeddedChannel {
    LoopbackChannel() {
      super();
    }

    @Override
    protected SocketAddress localAddress0() {
      return isActive() ? LOCAL : null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return isActive() ? REMOTE : null;
    }
  }

  static final Authenticator AUTH =
      new Authenticator() {
        @Override
        public CompletionStage<AuthResult> authenticate(
            ConnectionInfo c, String username, String password) {
          return CompletableFuture.completedFuture(
              "alice".equals(username) && "secret".equals(password)
                  ? AuthResult.accepted(
                      new ProxyPrincipal(7L, "alice", UserLimits.UNLIMITED, List.of(), null))
                  : AuthResult.rejected("bad-credentials"));
        }

        @Override
        public CompletionStage<AuthResult> authenticateBySource(ConnectionInfo c) {
          return CompletableFuture.completedFuture(AuthResult.rejected("source-not-whitelisted"));
        }
      };

  static EngineContext context() {
    EngineConfig config = EngineConfig.builder().maxHttpHeaderBytes(1024).build();
    return new EngineContext(
        config,
        Transport.select(false),
        AUTH,
        new DestinationGate(
            host -> CompletableFuture.failedFuture(new java.net.UnknownHostException(host)),
            DestinationPolicy.allowAll()),
        ExitSelector.direct(),
        new ExitConnectors(Map.of()),
        EngineEvents.NONE,
        new SessionRegistry(EngineEvents.NONE),
        new UserLimiter(),
        new io.netty.channel.group.DefaultChannelGroup(
            io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE),
        new AtomicLong());
  }

  static ConnectionInfo info() {
    return new ConnectionInfo("fuzz", REMOTE, "fuzz", LOCAL);
  }

  /** What the handlers did with one input. */
  record Result(byte[] out, boolean open) {
    String describe(byte[] input) {
      return "input " + hex(input) + " -> output " + hex(out) + (open ? " (open)" : " (closed)");
    }
  }

  static String hex(byte[] b) {
    return b.length > 200
        ? ByteBufUtil.hexDump(b, 0, 200) + "...(" + b.length + " bytes)"
        : ByteBufUtil.hexDump(b);
  }

  /**
   * Installs the pipeline, writes {@code prefix} then {@code data} (whole, or in pseudo-random
   * chunks derived from the data), running pending tasks after every write and stopping when the
   * channel closes; then finishes the channel and checks that every input buffer and every buffer
   * left in the channel was released.
   */
  static Result drive(
      BiConsumer<EmbeddedChannel, EngineContext> install,
      byte[] prefix,
      byte[] data,
      boolean chunked) {
    RUNS.incrementAndGet();
    EngineContext ctx = context();
    LoopbackChannel ch = new LoopbackChannel();
    install.accept(ch, ctx);
    List<ByteBuf> inputs = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      List<byte[]> pieces = new ArrayList<>();
      if (prefix.length > 0) {
        pieces.add(prefix);
      }
      if (chunked) {
        Random r = new Random(Arrays.hashCode(data));
        for (int i = 0; i < data.length; ) {
          int n = Math.min(data.length - i, 1 + r.nextInt(r.nextBoolean() ? 4 : 64));
          pieces.add(Arrays.copyOfRange(data, i, i + n));
          i += n;
        }
      } else if (data.length > 0) {
        pieces.add(data);
      }
      for (byte[] piece : pieces) {
        if (!ch.isOpen()) {
          break;
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(piece.length).writeBytes(piece);
        inputs.add(buf);
        ch.writeInbound(buf);
        ch.runPendingTasks();
        ch.checkException(); // anything that reached the end of the pipeline unhandled
        drainOutbound(ch, out);
      }
      ch.runPendingTasks();
      ch.checkException();
      drainOutbound(ch, out);
      boolean open = ch.isOpen();
      return new Result(out.toByteArray(), open);
    } finally {
      ch.finishAndReleaseAll();
      for (ByteBuf b : inputs) {
        if (b.refCnt() != 0) {
          int rc = b.refCnt();
          b.release(rc);
          throw new AssertionError(
              "input buffer not released (refCnt " + rc + ") for input " + hex(data));
        }
      }
    }
  }

  private static void drainOutbound(EmbeddedChannel ch, ByteArrayOutputStream out) {
    Object m;
    while ((m = ch.readOutbound()) != null) {
      if (m instanceof ByteBuf b) {
        byte[] bytes = ByteBufUtil.getBytes(b);
        out.writeBytes(bytes);
        b.release();
      } else {
        io.netty.util.ReferenceCountUtil.release(m);
        throw new AssertionError("non-byte outbound message " + m.getClass().getName());
      }
    }
  }

  /**
   * Every {@code every} runs (and when {@code force}), collects garbage and fails on leak reports.
   */
  static void assertNoLeakReports(boolean force, int every) {
    if (!force && RUNS.get() % every != 0) {
      if (!LEAKS.isEmpty()) {
        throw new AssertionError("ByteBuf leak reported: " + LEAKS);
      }
      return;
    }
    for (int i = 0; i < 2; i++) {
      System.gc();
      // the detector reports collected, unreleased buffers when the next buffer is tracked
      for (int j = 0; j < 4; j++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
      }
    }
    if (!LEAKS.isEmpty()) {
      throw new AssertionError("ByteBuf leak reported: " + LEAKS);
    }
  }

  static void check(boolean condition, String what, byte[] input, Result r) {
    if (!condition) {
      throw new AssertionError(what + ": " + r.describe(input));
    }
  }

  static ChannelHandler[] none() {
    return new ChannelHandler[0];
  }

  static SessionEstablisher establisher(EngineContext ctx) {
    return new SessionEstablisher(ctx);
  }
}
