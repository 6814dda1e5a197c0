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

/**
 * The frames mode of an {@link AgentStream}: the stream's bytes travel in WebSocket frames, with
 * both directions of credit. After OPEN_OK two virtual threads run: a reader turns socket bytes
 * into DATA within the send credit (CLOSE FIN at EOF), a writer drains the server's DATA to the
 * socket and returns credit with WINDOW (half-close after the server's FIN). The server's DATA,
 * WINDOW and FIN only queue or signal here, they never block the listener. {@link FlowControl} and
 * the flags are guarded by the stream's lock; errors reset the stream.
 */
final class FrameRelay {

  private static final Object FIN = new Object();
  private static final Object STOP = new Object();

  private final AgentStream stream;
  private final long id;
  private final int maxPayload;
  private final Condition creditChanged;
  private final FlowControl flow;
  private final LinkedBlockingQueue<Object> writes = new LinkedBlockingQueue<>();

  // guarded by stream.lock
  private boolean finReceived;
  private boolean finSent;
  private boolean outputShut;

  FrameRelay(AgentStream stream, int initialWindow, int maxPayload) {
    this.stream = stream;
    this.id = stream.id;
    this.maxPayload = maxPayload;
    this.creditChanged = stream.lock.newCondition();
    this.flow = new FlowControl(initialWindow);
  }

  /** The target is connected: OPEN_OK, then the reader and the writer thread. */
  void start(Socket s) {
    stream.conn.send(new Frame.OpenOk(id));
    stream.conn.log().debug(() -> "stream " + id + " connected to " + stream.target());
    Thread.ofVirtual().name("sluice-agent-read-" + id).start(() -> readLoop(s));
    Thread.ofVirtual().name("sluice-agent-write-" + id).start(() -> writeLoop(s));
  }

  // ------------------------------------------------------------------ from the server (listener
  // thread)

  void onData(Frame.Data d) {
    String error = null;
    stream.lock.lock();
    try {
      if (stream.finishedLocked()) {
        return;
      }
      if (!stream.openedLocked()) {
        error = "DATA before OPEN_OK";
      } else if (finReceived) {
        error = "DATA after FIN";
      } else if (!flow.receive(d.length())) {
        error = "window overrun";
      } else {
        writes.add(d.bytes());
      }
    } finally {
      stream.lock.unlock();
    }
    if (error != null) {
      stream.reset(error);
    }
  }

  void onWindow(Frame.Window w) {
    boolean ok;
    stream.lock.lock();
    try {
      if (stream.finishedLocked()) {
        return;
      }
      ok = flow.grant(w.increment());
      creditChanged.signalAll();
    } finally {
      stream.lock.unlock();
    }
    if (!ok) {
      stream.reset("WINDOW beyond 2^31-1");
    }
  }

  /** CLOSE FIN from the server: the writer half-closes the target after the queued DATA. */
  void onFin() {
    stream.lock.lock();
    try {
      if (stream.finishedLocked() || finReceived) {
        return;
      }
      finReceived = true;
      writes.add(FIN);
    } finally {
      stream.lock.unlock();
    }
  }

  // ------------------------------------------------------------------ from the stream

  /** The stream finished: wakes a reader waiting for credit. The caller holds the stream's lock. */
  void wakeUp() {
    creditChanged.signalAll();
  }

  /** The stream finished: the writer drops what is queued and ends. */
  void stop() {
    writes.clear();
    writes.add(STOP);
  }

  // ------------------------------------------------------------------ socket threads

  private void readLoop(Socket s) {
    byte[] buf = new byte[maxPayload];
    try {
      InputStream in = s.getInputStream();
      while (true) {
        int allowed;
        stream.lock.lock();
        try {
          while (!stream.finishedLocked() && flow.sendBlocked()) {
            creditChanged.await();
          }
          if (stream.finishedLocked()) {
            return;
          }
          allowed = flow.sendable(maxPayload);
        } finally {
          stream.lock.unlock();
        }
        int n = in.read(buf, 0, allowed);
        if (n < 0) {
          sentFin();
          return;
        }
        if (n == 0) {
          continue;
        }
        stream.lock.lock();
        try {
          if (stream.finishedLocked()) {
            return;
          }
          flow.consume(n); // n <= allowed <= credit: credit only grows meanwhile
        } finally {
          stream.lock.unlock();
        }
        stream.conn.send(new Frame.Data(id, Arrays.copyOf(buf, n)));
      }
    } catch (IOException e) {
      stream.reset("read from target failed: " + Describe.cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset("interrupted");
    }
  }

  private void sentFin() {
    boolean done;
    stream.lock.lock();
    try {
      if (stream.finishedLocked()) {
        return;
      }
      finSent = true;
      done = outputShut;
    } finally {
      stream.lock.unlock();
    }
    stream.conn.send(new Frame.Close(id, Frame.Close.FIN));
    if (done) {
      stream.finish();
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
          stream.lock.lock();
          try {
            outputShut = true;
            done = finSent && !stream.finishedLocked();
          } finally {
            stream.lock.unlock();
          }
          if (done) {
            stream.finish();
          }
          return;
        }
        byte[] bytes = (byte[]) item;
        out.write(bytes);
        int grant;
        stream.lock.lock();
        try {
          if (stream.finishedLocked()) {
            return;
          }
          flow.consumed(bytes.length);
          grant = flow.toGrant();
        } finally {
          stream.lock.unlock();
        }
        if (grant > 0) {
          stream.conn.send(new Frame.Window(id, grant));
        }
      }
    } catch (IOException e) {
      stream.reset("write to target failed: " + Describe.cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.reset("interrupted");
    }
  }

  /** For tests and debugging: credit state. */
  String flowState() {
    stream.lock.lock();
    try {
      return flow.toString();
    } finally {
      stream.lock.unlock();
    }
  }
}
