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

/**
 * Netty's epoll I/O handler with one change: a channel's interest set never becomes empty.
 *
 * <p>Netty 4.2.18's {@code EpollIoHandler} removes a descriptor from the epoll set ({@code
 * EPOLL_CTL_DEL}) when a channel asks for no events, but keeps the registration marked as added, so
 * the next interest change is an {@code EPOLL_CTL_MOD} that fails with {@code ENOENT}. A
 * half-closed stream channel asks for no events once its input is shut down and it has nothing
 * queued (reading has stopped and {@code EPOLLRDHUP} was consumed); when it then has to wait for
 * {@code EPOLLOUT} because the peer reads slowly, the write fails and the answer is truncated.
 *
 * <p>Here an empty interest set is submitted as {@code EPOLLET} alone: the descriptor stays in the
 * epoll set (so the later {@code EPOLL_CTL_MOD} works) and, with no event asked for, it is only
 * woken by {@code EPOLLERR}/{@code EPOLLHUP}, which the kernel always reports, and edge-triggered,
 * that is once per change rather than on every wait. Everything else is Netty's handler.
 */
final class EpollInterestGuard implements IoHandlerFactory {

  private final IoHandlerFactory netty = EpollIoHandler.newFactory();

  @Override
  public IoHandler newHandler(ThreadAwareExecutor executor) {
    return new Handler(netty.newHandler(executor));
  }

  @Override
  public boolean isChangingThreadSupported() {
    return netty.isChangingThreadSupported();
  }

  /** Submits {@code EPOLLET} where Netty would submit an empty interest set. */
  static IoOps nonEmpty(IoOps ops) {
    return ops instanceof EpollIoOps epoll && epoll.value() == 0 ? EpollIoOps.EPOLLET : ops;
  }

  private record Handler(IoHandler netty) implements IoHandler {

    @Override
    public void initialize() {
      netty.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
      return netty.run(context);
    }

    @Override
    public void prepareToDestroy() {
      netty.prepareToDestroy();
    }

    @Override
    public void destroy() {
      netty.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
      return new Registration(netty.register(handle));
    }

    @Override
    public void wakeup() {
      netty.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return netty.isCompatible(handleType);
    }
  }

  private record Registration(IoRegistration netty) implements IoRegistration {

    @Override
    public <T> T attachment() {
      return netty.attachment();
    }

    @Override
    public long submit(IoOps ops) {
      return netty.submit(nonEmpty(ops));
    }

    @Override
    public boolean isValid() {
      return netty.isValid();
    }

    @Override
    public boolean cancel() {
      return netty.cancel();
    }
  }
}
