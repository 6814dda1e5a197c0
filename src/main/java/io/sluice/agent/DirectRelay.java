package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct mode of an {@link AgentStream} (protocol extension {@code direct}): the stream's bytes
 * travel over a data connection of its own to the server's data port, not in frames. Two virtual
 * threads copy between the target and the data connection; TCP does flow control, half-close
 * carries FIN and an error aborts both connections. No frame is sent for the stream.
 */
final class DirectRelay {

  private final AgentStream stream;

  /** Directions that reached EOF (2 = done). */
  private final AtomicInteger eofs = new AtomicInteger();

  private DirectRelay(AgentStream stream) {
    this.stream = stream;
  }

  /**
   * Carries the stream over a data connection of its own when the server offered one and it can be
   * reached: two copying threads, TCP does flow control and half-close. False: use frames.
   */
  static boolean start(AgentStream stream, Socket target, Frame.OpenDirect offer) {
    Socket d = stream.conn.dialDirect(offer);
    if (d == null) {
      return false;
    }
    if (!stream.attach(d, true)) {
      stream.closeHard(d); // reset while dialing: target is closed by whoever finished the stream
      return true;
    }
    long id = stream.id;
    stream
        .conn
        .log()
        .debug(() -> "stream " + id + " connected to " + stream.target() + " (direct)");
    DirectRelay relay = new DirectRelay(stream);
    Thread.ofVirtual().name("sluice-agent-up-" + id).start(() -> relay.pipe(d, target));
    Thread.ofVirtual().name("sluice-agent-down-" + id).start(() -> relay.pipe(target, d));
    return true;
  }

  /**
   * Copies {@code from} to {@code to} until EOF (then half-closes {@code to}) or an error (aborts
   * both).
   */
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
      if (eofs.incrementAndGet() == 2) {
        stream.finish();
      }
    } catch (IOException e) {
      stream.abortDirect(e);
    }
  }
}
