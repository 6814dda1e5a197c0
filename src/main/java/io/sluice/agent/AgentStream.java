package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One tunnel stream, the part both ways of carrying it share: the TCP connection to the target, the
 * data connection of a direct stream, and the end of the stream. A virtual thread connects
 * (OPEN_FAIL when that fails), then the stream goes on in one of two modes: {@link DirectRelay}
 * when the server offered a data connection (OPEN_DIRECT) and it can be reached, otherwise {@link
 * FrameRelay} (OPEN_OK, DATA within the credit, WINDOW, CLOSE FIN). The WebSocket listener only
 * queues, it never blocks here. The state flags of both parts are guarded by {@link #lock}.
 * Finished (FIN both ways, or RESET) streams leave the connection's table.
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

  final long id;
  final Host conn;

  /** Guards the flags here and in {@link FrameRelay}. */
  final ReentrantLock lock = new ReentrantLock();

  private final String host;
  private final int port;

  /** The OPEN_DIRECT that opened this stream, or null for OPEN. */
  private final Frame.OpenDirect offer;

  /** The frames mode; also what the server's frames reach before the mode is known. */
  private final FrameRelay frames;

  // guarded by lock
  private Socket socket;

  /** The data connection of a direct stream. */
  private Socket data;

  private boolean opened;
  private boolean finished;

  AgentStream(long id, String host, int port, int initialWindow, int maxPayload, Host conn) {
    this(id, host, port, initialWindow, maxPayload, conn, null);
  }

  AgentStream(
      long id,
      String host,
      int port,
      int initialWindow,
      int maxPayload,
      Host conn,
      Frame.OpenDirect offer) {
    this.offer = offer;
    this.id = id;
    this.host = host;
    this.port = port;
    this.conn = conn;
    this.frames = new FrameRelay(this, initialWindow, maxPayload);
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
    if (!attach(s, false)) {
      closeHard(s);
      return;
    }
    if (offer != null && DirectRelay.start(this, s, offer)) {
      return;
    }
    frames.start(s);
  }

  /**
   * Makes {@code s} the target connection (or, with {@code isData}, the data connection) unless the
   * stream has finished meanwhile; true if it did. The stream counts as opened from then on.
   */
  boolean attach(Socket s, boolean isData) {
    lock.lock();
    try {
      if (finished) {
        return false;
      }
      if (isData) {
        data = s;
      } else {
        socket = s;
      }
      opened = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ from the server (listener
  // thread)

  void onData(Frame.Data d) {
    frames.onData(d);
  }

  void onWindow(Frame.Window w) {
    frames.onWindow(w);
  }

  void onClose(Frame.Close c) {
    if (!c.reset()) {
      frames.onFin();
      return;
    }
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " reset by the server");
      frames.stop();
      closeHard(currentSocket());
      closeHard(currentData());
      conn.removed(this);
    }
  }

  /** The WebSocket is gone: drop the stream without sending anything. */
  void abort() {
    if (markFinished()) {
      frames.stop();
      closeHard(currentSocket());
      closeHard(currentData());
    }
  }

  /** Stream error: CLOSE(RESET) to the server, abort the target connection. */
  void reset(String why) {
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " reset: " + why);
      conn.send(new Frame.Close(id, Frame.Close.RESET));
      frames.stop();
      closeHard(currentSocket());
      closeHard(currentData());
      conn.removed(this);
    }
  }

  /** A direct stream's data connection failed: abort both connections, nothing to send. */
  void abortDirect(IOException e) {
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " (direct) ended: " + Describe.cause(e));
      closeHard(currentSocket());
      closeHard(currentData());
      conn.removed(this);
    }
  }

  /** FIN went both ways: close the socket normally. */
  void finish() {
    if (markFinished()) {
      conn.log().debug(() -> "stream " + id + " closed");
      frames.stop();
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
      frames.wakeUp();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the stream has ended; the caller holds {@link #lock}. */
  boolean finishedLocked() {
    assert lock.isHeldByCurrentThread();
    return finished;
  }

  /** Whether the target was connected; the caller holds {@link #lock}. */
  boolean openedLocked() {
    assert lock.isHeldByCurrentThread();
    return opened;
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
  void closeHard(Socket s) {
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

  String target() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** For tests and debugging: credit state. */
  String flowState() {
    return frames.flowState();
  }
}
