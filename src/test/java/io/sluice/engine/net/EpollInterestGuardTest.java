package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The guard's two changes against a recording stand-in for Netty's handler. {@code
 * Socks5ConnectTest.halfClosedClientStillReceivesALargeAnswer} is the test that shows the first
 * matters (it fails on Netty's bare epoll handler); every relay test on the default transport runs
 * through the second.
 */
class EpollInterestGuardTest {

  /** What the stand-in handler was asked to do, in order. */
  private final List<String> calls = new ArrayList<>();

  private final AtomicBoolean onLoop = new AtomicBoolean(true);

  private final IoHandler handler = new EpollInterestGuard(new Recording()).newHandler(new Loop());

  @Test
  void anEmptyInterestSetBecomesEdgeTriggeredWithNoEvents() {
    assertThat(EpollInterestGuard.nonEmpty(EpollIoOps.NONE)).isEqualTo(EpollIoOps.EPOLLET);
  }

  @Test
  void anyOtherInterestSetIsNetty() {
    EpollIoOps in = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP);
    assertThat(EpollInterestGuard.nonEmpty(in)).isSameAs(in);
    assertThat(EpollInterestGuard.nonEmpty(EpollIoOps.EPOLLOUT)).isSameAs(EpollIoOps.EPOLLOUT);
  }

  @Test
  void changesInOneTurnReachNettyOnceBeforeTheLoopWaits() throws Exception {
    IoRegistration r = handler.register(new Handle());
    r.submit(EpollIoOps.EPOLLET.with(EpollIoOps.EPOLLRDHUP));
    r.submit(EpollIoOps.EPOLLET.with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLIN));
    assertThat(calls).containsExactly("register");

    handler.run(null);
    assertThat(calls).containsExactly("register", "submit " + (ops(true, true)), "run");
  }

  @Test
  void aChangeBackToWhatTheKernelHasCostsNothing() throws Exception {
    IoRegistration r = handler.register(new Handle());
    r.submit(EpollIoOps.EPOLLET.with(EpollIoOps.EPOLLIN));
    handler.run(null);
    calls.clear();

    r.submit(EpollIoOps.EPOLLET); // reading paused
    r.submit(EpollIoOps.EPOLLET.with(EpollIoOps.EPOLLIN)); // and resumed in the same turn
    handler.run(null);
    assertThat(calls).containsExactly("run");

    r.submit(EpollIoOps.EPOLLET);
    handler.run(null);
    assertThat(calls).containsExactly("run", "submit " + EpollIoOps.EPOLLET.value(), "run");
  }

  @Test
  void anEmptySetIsHandedOnAsEdgeTriggered() throws Exception {
    IoRegistration r = handler.register(new Handle());
    r.submit(EpollIoOps.EPOLLIN);
    r.submit(EpollIoOps.NONE);
    handler.run(null);
    assertThat(calls).containsExactly("register", "submit " + EpollIoOps.EPOLLET.value(), "run");
  }

  @Test
  void aChangeFromAnotherThreadGoesAtOnce() throws Exception {
    IoRegistration r = handler.register(new Handle());
    onLoop.set(false);
    r.submit(EpollIoOps.EPOLLIN);
    assertThat(calls).containsExactly("register", "submit " + EpollIoOps.EPOLLIN.value());
  }

  @Test
  void cancelDropsAPendingChangeOfAnAddedDescriptor() throws Exception {
    IoRegistration r = handler.register(new Handle());
    r.submit(EpollIoOps.EPOLLIN);
    handler.run(null);
    r.submit(EpollIoOps.EPOLLOUT);
    r.cancel();
    handler.run(null);
    assertThat(calls)
        .containsExactly(
            "register", "submit " + EpollIoOps.EPOLLIN.value(), "run", "cancel", "run");
  }

  @Test
  void cancelBeforeTheFirstChangeWasHandedOnAddsItFirst() throws Exception {
    IoRegistration r = handler.register(new Handle());
    r.submit(EpollIoOps.EPOLLOUT);
    r.cancel();
    handler.run(null);
    assertThat(calls)
        .containsExactly("register", "submit " + EpollIoOps.EPOLLOUT.value(), "cancel", "run");
  }

  @Test
  void aFailedChangeClosesTheChannel() throws Exception {
    Handle h = new Handle();
    IoRegistration r = handler.register(h);
    r.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)); // the stand-in refuses this one
    handler.run(null);
    assertThat(h.closed).isTrue();
    assertThat(calls).contains("run");
  }

  private static long ops(boolean rdhup, boolean in) {
    EpollIoOps o = EpollIoOps.EPOLLET;
    if (rdhup) {
      o = o.with(EpollIoOps.EPOLLRDHUP);
    }
    if (in) {
      o = o.with(EpollIoOps.EPOLLIN);
    }
    return o.value();
  }

  private final class Loop implements ThreadAwareExecutor {
    @Override
    public boolean isExecutorThread(Thread thread) {
      return onLoop.get();
    }

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  private static final class Handle implements IoHandle {
    boolean closed;

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {}

    @Override
    public void close() {
      closed = true;
    }
  }

  private final class Recording implements IoHandlerFactory {
    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
      return new IoHandler() {
        @Override
        public int run(IoHandlerContext context) {
          calls.add("run");
          return 0;
        }

        @Override
        public void wakeup() {}

        @Override
        public IoRegistration register(IoHandle handle) {
          calls.add("register");
          return new IoRegistration() {
            boolean valid = true;

            @Override
            public <T> T attachment() {
              return null;
            }

            @Override
            public long submit(IoOps ops) {
              long v = ((EpollIoOps) ops).value();
              if (v == EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT).value()) {
                throw new java.io.UncheckedIOException(new java.io.IOException("refused"));
              }
              calls.add("submit " + v);
              return v;
            }

            @Override
            public boolean isValid() {
              return valid;
            }

            @Override
            public boolean cancel() {
              calls.add("cancel");
              valid = false;
              return true;
            }
          };
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
          return true;
        }
      };
    }

    @Override
    public boolean isChangingThreadSupported() {
      return false;
    }
  }
}
