package io.sluice.engine.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

/**
 * Netty's epoll I/O handler with two changes: a channel's interest set never becomes empty, and
 * interest changes reach the kernel once per event-loop turn.
 *
 * <p><b>Never empty.</b> Netty 4.2.18's {@code EpollIoHandler} removes a descriptor from the epoll
 * set ({@code EPOLL_CTL_DEL}) when a channel asks for no events, but keeps the registration marked
 * as added, so the next interest change is an {@code EPOLL_CTL_MOD} that fails with {@code ENOENT}.
 * A half-closed stream channel asks for no events once its input is shut down and it has nothing
 * queued (reading has stopped and {@code EPOLLRDHUP} was consumed); when it then has to wait for
 * {@code EPOLLOUT} because the peer reads slowly, the write fails and the answer is truncated. Here
 * an empty interest set is submitted as {@code EPOLLET} alone: the descriptor stays in the epoll
 * set (so the later {@code EPOLL_CTL_MOD} works) and, with no event asked for, it is only woken by
 * {@code EPOLLERR}/{@code EPOLLHUP}, which the kernel always reports, and edge-triggered, that is
 * once per change rather than on every wait.
 *
 * <p><b>Once per turn.</b> Netty makes an {@code epoll_ctl} call for every change of a channel's
 * interest: an accepted connection is added and then asked to read (two calls), an outgoing one is
 * added for its connect, then {@code EPOLLOUT} is cleared, its interest submitted again and reading
 * asked for as the relay starts (three calls in one turn), and at end of stream {@code EPOLLRDHUP}
 * and {@code EPOLLIN} are cleared one after the other. The kernel only looks at the interest set
 * when the loop next waits, so a change made on the event loop is remembered and handed to Netty
 * when the loop is about to wait again ({@link Handler#run}), the last one only, and not at all
 * when it is what the kernel already has. A change made on another thread, and a registration
 * cancelled before its first change was handed on, go to Netty at once as before. Measured: about
 * 12 {@code epoll_ctl} calls per SOCKS5 connection were 7.8 % of the product's CPU under the
 * benchmark's connection load (docs/benchmarks.md).
 *
 * <p>Everything else is Netty's handler.
 */
final class EpollInterestGuard implements IoHandlerFactory {

  private static final Logger LOG = System.getLogger(EpollInterestGuard.class.getName());

  private final IoHandlerFactory netty;

  EpollInterestGuard() {
    this(EpollIoHandler.newFactory());
  }

  /** Around another handler factory; for tests. */
  EpollInterestGuard(IoHandlerFactory netty) {
    this.netty = netty;
  }

  @Override
  public IoHandler newHandler(ThreadAwareExecutor executor) {
    return new Handler(netty.newHandler(executor), executor);
  }

  @Override
  public boolean isChangingThreadSupported() {
    return netty.isChangingThreadSupported();
  }

  /** Submits {@code EPOLLET} where Netty would submit an empty interest set. */
  static IoOps nonEmpty(IoOps ops) {
    return ops instanceof EpollIoOps epoll && epoll.value() == 0 ? EpollIoOps.EPOLLET : ops;
  }

  private static long valueOf(IoOps ops) {
    return ops instanceof EpollIoOps epoll ? epoll.value() : -1;
  }

  static final class Handler implements IoHandler {
    private final IoHandler netty;
    private final ThreadAwareExecutor executor;

    /** Registrations with a change not yet handed to Netty; event loop only. */
    private final ArrayDeque<Registration> changed = new ArrayDeque<>();

    Handler(IoHandler netty, ThreadAwareExecutor executor) {
      this.netty = netty;
      this.executor = executor;
    }

    @Override
    public void initialize() {
      netty.initialize();
    }

    /** Hands the turn's interest changes to Netty, then lets it wait and dispatch. */
    @Override
    public int run(IoHandlerContext context) {
      flush();
      return netty.run(context);
    }

    void flush() {
      Registration r;
      while ((r = changed.poll()) != null) {
        r.apply();
      }
    }

    @Override
    public void prepareToDestroy() {
      flush();
      netty.prepareToDestroy();
    }

    @Override
    public void destroy() {
      netty.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
      return new Registration(this, netty.register(handle), handle);
    }

    @Override
    public void wakeup() {
      netty.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return netty.isCompatible(handleType);
    }

    boolean onLoop() {
      return executor.isExecutorThread(Thread.currentThread());
    }
  }

  static final class Registration implements IoRegistration {
    private final Handler handler;
    private final IoRegistration netty;
    private final IoHandle handle;

    /** The change to hand on at the end of the turn, null when none. */
    private IoOps pending;

    /** Whether Netty was given a change yet, and the last one. */
    private boolean handedOn;

    private long applied;

    Registration(Handler handler, IoRegistration netty, IoHandle handle) {
      this.handler = handler;
      this.netty = netty;
      this.handle = handle;
    }

    @Override
    public <T> T attachment() {
      return netty.attachment();
    }

    @Override
    public long submit(IoOps ops) {
      IoOps wanted = nonEmpty(ops);
      if (!handler.onLoop()) {
        return handOn(wanted);
      }
      if (!netty.isValid()) {
        return -1;
      }
      if (pending == null) {
        handler.changed.add(this);
      }
      pending = wanted;
      return valueOf(wanted);
    }

    private long handOn(IoOps ops) {
      handedOn = true;
      applied = valueOf(ops);
      return netty.submit(ops);
    }

    /** Hands the pending change to Netty unless the kernel has it already. Event loop only. */
    void apply() {
      IoOps ops = pending;
      pending = null;
      if (ops == null || !netty.isValid() || (handedOn && valueOf(ops) == applied)) {
        return;
      }
      try {
        handOn(ops);
      } catch (RuntimeException e) {
        // what Netty's caller would have met at once (the descriptor is gone or the kernel
        // refused): the channel cannot wait for events any more, so it is closed
        LOG.log(Level.DEBUG, "epoll interest change failed, closing the channel: {0}", e);
        try {
          handle.close();
        } catch (Exception closing) {
          LOG.log(Level.DEBUG, "closing after a failed interest change: {0}", closing);
        }
      }
    }

    @Override
    public boolean isValid() {
      return netty.isValid();
    }

    @Override
    public boolean cancel() {
      if (pending != null && !handedOn && handler.onLoop()) {
        // never added: add it first so Netty's removal finds it, as before
        apply();
      }
      pending = null; // still queued in the handler: apply() finds nothing to do
      return netty.cancel();
    }
  }
}
