package io.sluice.agent;

import io.sluice.engine.tunnel.FlowControl;
import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One tunnel stream: the TCP connection to the target plus both directions of credit. Three
 * virtual threads: one connects (then OPEN_OK / OPEN_FAIL), a reader turns socket bytes into
 * DATA within the send credit (CLOSE FIN at EOF), a writer drains the server's DATA to the socket
 * and returns credit with WINDOW (half-close after the server's FIN). The WebSocket listener only
 * queues, it never blocks here. {@link FlowControl} and the state flags are guarded by {@link
 * #lock}. Finished (FIN both ways, or RESET) streams leave the connection's table.
 */
final class AgentStream {

  /** What a stream needs from its connection. */
  interface Host {
    void send(Frame f);

    void removed(AgentStream s);

    AgentLog log();

    /** The data connection of a direct stream, preamble sent; null to use the WebSocket instead. */
    Socket dialDirect(Frame.OpenDirect offer);
  }

  private static final Object FIN = new Object();
  private static final Object STOP = new Object();

  final long id;
  private final String host;
  private final int port;
  private final int maxPayload;
  private final Host conn;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition creditChanged = lock.newCondition();
  private final FlowControl flow;
  private final LinkedBlockingQueue<Object> writes = new LinkedBlockingQueue<>();
  /** The OPEN_DIRECT that opened this stream, or null for OPEN. */
  private final Frame.OpenDirect offer;
  /** Directions of a direct stream that reached EOF (2 = done). */
  private final java.util.concurrent.atomic.AtomicInteger directDone = new java.util.concurrent.atomic.AtomicInteger();

  // guarded by lock
  private Socket socket;
  /** The data connection of a direct stream. */
  private Socket data;
  private boolean opened;
  private boolean finReceived;
  private boolean finSent;
  private boolean outputShut;
  private boolean finished;

  AgentStream(long id, String host, int port, int initialWindow, int maxPayload, Host conn) {
    this(id, host, port, initialWindow, maxPayload, conn, null);
  }

  AgentStream(long id, String host, int port, int initialWindow, int maxPayload, Host conn, Frame.OpenDirect offer) {
    this.offer = offer;
    this.id = id;
    this.host = host;
    this.port = port;
    this.maxPayload = maxPayload;
    this.conn = conn;
    this.flow = new FlowControl(initialWindow);
  }

  /** Connects on a virtual thread, then answers OPEN_OK or OPEN_FAIL. */
  void start(TargetConnector connector) {
    Thread.ofVirtual().name("sluice-agent-open-" + id).start(() -> open(connector));
  }

  private void open(TargetConnector connector) {
    TargetConnector.Result r = connector.connect(host, port);
    if (r instanceof TargetConnector.Failed f) {
      if (markFinished()) {
        conn.removed(this);
        conn.send(new Frame.OpenFail(id, f.reason(), f.message()));
        if (f.reason() == Frame.OpenFail.NOT_ALLOWED) {
          conn.log().info("refused stream " + id + ": " + f.message());
        } else {
          conn.log().debug(() -> "stream " + id + " to " + target() + " failed: " + f.message());
        }
      }
      return;
    }
    Socket s = ((TargetConnector.Connected) r).socket();
    lock.lock();
    try {
      if (!finished) {
        socket = s;
        opened = true;
      }
    } finally {
      lock.unlock();
    }
    if (socket != s) {
      closeHard(s);
      return;
    }
    if (offer != null && startDirect(s)) {
      return;
    }
    conn.send(new Frame.OpenOk(id));
    conn.log().debug(() -> "stream " + id + " connected to " + target());
    Thread.ofVirtual().name("sluice-agent-read-" + id).start(() -> readLoop(s));
    Thread.ofVirtual().name("sluice-agent-write-" + id).start(() -> writeLoop(s));
  }

  /**
   * Carries the stream over a data connection of its own when the server offered one and it can
   * be reached: two copying threads, TCP does flow control and half-close. False: use frames.
   */
  private boolean startDirect(Socket target) {
    Socket d = conn.dialDirect(offer);
    if (d == null) {
      return false;
    }
    lock.lock();
    try {
      if (!finished) {
        data = d;
        opened = true;
      }
    } finally {
      lock.unlock();
    }
    if (data != d) {
      closeHard(d); // reset while dialing: target is closed by whoever finished the stream
      return true;
    }
    conn.log().debug(() -> "stream " + id + " connected to " + target() + " (direct)");
    Thread.ofVirtual().name("sluice-agent-up-" + id).start(() -> pipe(d, target));
    Thread.ofVirtual().name("sluice-agent-down-" + id).start(() -> pipe(target, d));
    return true;
  }

  /** Copies {@code from} to {@code to} until EOF (then half-closes {@code to}) or an error (aborts both). */
  private void pipe(Socket from, Socket to) {
    byte[] buf = new byte[128 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0) {
          out.write(buf, 0, n);
        }
      }
      to.shutdownOutput();
      if (directDone.incrementAndGet() == 2) {
        finish();
      }
    } catch (IOException e) {
      if (markFinished()) {
        conn.log().debug(() -> "stream " + id + " (direct) ended: " + Describe.cause(e));
        closeHard(currentSocket());
        closeHard(currentData());
        conn.removed(this);
      }
    }
  }

  // ------------------------------------------------------------------ from the server (listener thread)

  void onData(Frame.Data d) {
    String error = null;
    lock.lock();
    try {
      if (finished) {
        return;
      }
      if (!opened) {
        error = "DATA before OPEN_OK";
      } else if (finReceived) {
        error = "DATA after FIN";
      } else if (!flow.receive(d.length())) {
        error = "window overrun";
      } else {
        writes.add(d.bytes());
      }
    } finally {
      lock.unlock();
    }
    if (error != null) {
      reset(error);
    }
  }

  void onWindow(Frame.Window w) {
    boolean ok;
    lock.lock();
    try {
      if (finished) {
        return;
      }
      ok = flow.grant(w.increment());
      creditChanged.signalAll();
    } finally {
      lock.unlock();
    }
    if (!ok) {
      reset("WINDOW beyond 2^31-1");
    }
  }

  void onClose(Frame.Close c) {
    if (c.reset()) {
      if (markFinished()) {
        conn.log().debug(() -> "stream " + id + " reset by the server");
        stopThreads();
        closeHard(currentSocket());
        closeHard(currentData());
        conn.removed(this);
      }
      return;
    }
    lock.lock();
    try {
      if (finished || finReceived) {
        return;
      }
      finReceived = true;
      writes.add(FIN);
    } finally {
      lock.unlock();
    }
  }

  /** The WebSocket is gone: drop the stream without sending anything. */
  void abort() {
    if (markFinished()) {
      stopThreads();
      closeHard(currentSocket());
      closeHard(currentData());
    }
  }

  /** Stream error: CLOSE(RESET) to the server, abort the target connection. */
  void reset(String why) {
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " reset: " + why);
      conn.send(new Frame.Close(id, Frame.Close.RESET));
      stopThreads();
      closeHard(currentSocket());
      closeHard(currentData());
      conn.removed(this);
    }
  }

  // ------------------------------------------------------------------ socket threads

  private void readLoop(Socket s) {
    byte[] buf = new byte[maxPayload];
    try {
      InputStream in = s.getInputStream();
      while (true) {
        int allowed;
        lock.lock();
        try {
          while (!finished && flow.sendBlocked()) {
            creditChanged.await();
          }
          if (finished) {
            return;
          }
          allowed = flow.sendable(maxPayload);
        } finally {
          lock.unlock();
        }
        int n = in.read(buf, 0, allowed);
        if (n < 0) {
          sentFin();
          return;
        }
        if (n == 0) {
          continue;
        }
        lock.lock();
        try {
          if (finished) {
            return;
          }
          flow.consume(n); // n <= allowed <= credit: credit only grows meanwhile
        } finally {
          lock.unlock();
        }
        conn.send(new Frame.Data(id, Arrays.copyOf(buf, n)));
      }
    } catch (IOException e) {
      reset("read from target failed: " + Describe.cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reset("interrupted");
    }
  }

  private void sentFin() {
    boolean done;
    lock.lock();
    try {
      if (finished) {
        return;
      }
      finSent = true;
      done = outputShut;
    } finally {
      lock.unlock();
    }
    conn.send(new Frame.Close(id, Frame.Close.FIN));
    if (done) {
      finish();
    }
  }

  private void writeLoop(Socket s) {
    try {
      OutputStream out = s.getOutputStream();
      while (true) {
        Object item = writes.take();
        if (item == STOP) {
          return;
        }
        if (item == FIN) {
          s.shutdownOutput();
          boolean done;
          lock.lock();
          try {
            outputShut = true;
            done = finSent && !finished;
          } finally {
            lock.unlock();
          }
          if (done) {
            finish();
          }
          return;
        }
        byte[] bytes = (byte[]) item;
        out.write(bytes);
        int grant;
        lock.lock();
        try {
          if (finished) {
            return;
          }
          flow.consumed(bytes.length);
          grant = flow.toGrant();
        } finally {
          lock.unlock();
        }
        if (grant > 0) {
          conn.send(new Frame.Window(id, grant));
        }
      }
    } catch (IOException e) {
      reset("write to target failed: " + Describe.cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reset("interrupted");
    }
  }

  /** FIN went both ways: close the socket normally. */
  private void finish() {
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " closed");
      stopThreads();
      try {
        Socket s = currentSocket();
        if (s != null) {
          s.close();
        }
        Socket d = currentData();
        if (d != null) {
          d.close();
        }
      } catch (IOException e) {
        conn.log().debug(() -> "stream " + id + " close: " + Describe.cause(e));
      }
      conn.removed(this);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Sets {@code finished}; true if this call did it. */
  private boolean markFinished() {
    lock.lock();
    try {
      if (finished) {
        return false;
      }
      finished = true;
      creditChanged.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void stopThreads() {
    writes.clear();
    writes.add(STOP);
  }

  private Socket currentData() {
    lock.lock();
    try {
      return data;
    } finally {
      lock.unlock();
    }
  }

  private Socket currentSocket() {
    lock.lock();
    try {
      return socket;
    } finally {
      lock.unlock();
    }
  }

  /** Closes with SO_LINGER 0, so the target sees an RST. */
  private void closeHard(Socket s) {
    if (s == null) {
      return;
    }
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed: close() below is a no-op then
    }
    try {
      s.close();
    } catch (IOException e) {
      conn.log().debug(() -> "stream " + id + " abort: " + Describe.cause(e));
    }
  }

  private String target() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** For tests and debugging: credit state. */
  String flowState() {
    lock.lock();
    try {
      return flow.toString();
    } finally {
      lock.unlock();
    }
  }
}
