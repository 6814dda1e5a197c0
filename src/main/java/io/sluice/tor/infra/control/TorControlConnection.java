package io.sluice.tor.infra.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection to a tor control port. Commands are sent one at a time and wait for their reply up
 * to a time-out (after which the connection is closed: the reply order can no longer be trusted). A
 * reader thread parses everything tor sends; asynchronous {@code 6xx} events go to the event
 * listener on that thread (it must not block), other replies to the waiting command. Sluice uses
 * two connections per node: one for commands, one that only listens to events.
 */
public final class TorControlConnection implements AutoCloseable {

  /** The longest line accepted from tor (longer ones are a protocol error). */
  public static final int MAX_LINE_BYTES = 256 * 1024;

  /** The cookie file's size (control-spec, "COOKIE" authentication: 32 bytes). */
  public static final int COOKIE_BYTES = 32;

  private static final Object CLOSED = new Object();

  private final Socket socket;
  private final OutputStream out;
  private final Duration timeout;
  private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private final Consumer<ControlReply> events;
  private final Consumer<String> onClosed;
  private volatile boolean closed;
  private volatile String closeReason;

  private TorControlConnection(
      Socket socket, Duration timeout, Consumer<ControlReply> events, Consumer<String> onClosed)
      throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.timeout = timeout;
    this.events = events;
    this.onClosed = onClosed;
  }

  /**
   * Connects to {@code address} (which must be a loopback address: control ports are local only)
   * and starts the reader thread from {@code threads}.
   *
   * @param events receives every asynchronous event (status 6xx)
   * @param onClosed called once with a reason when the connection ends for any cause
   */
  public static TorControlConnection open(
      InetSocketAddress address,
      Duration timeout,
      ThreadFactory threads,
      Consumer<ControlReply> events,
      Consumer<String> onClosed)
      throws IOException {
    if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
      throw new IOException("control ports are loopback only, not " + address);
    }
    Socket s = new Socket();
    try {
      s.connect(address, (int) timeout.toMillis());
      s.setTcpNoDelay(true);
      TorControlConnection c = new TorControlConnection(s, timeout, events, onClosed);
      Thread t = threads.newThread(c::readLoop);
      t.setName("tor-control-" + address.getPort());
      t.setDaemon(true);
      t.start();
      return c;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Sends one command line (without CR LF) and returns its reply; a reply other than 2xx is a
   * {@link ControlException}.
   */
  public synchronized ControlReply command(String line) throws IOException {
    String checked = ControlArgs.line(line);
    if (closed) {
      throw new ControlException(0, "control connection closed: " + closeReason);
    }
    try {
      out.write((checked + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      close("write failed: " + e.getMessage());
      throw new ControlException(0, "control connection closed: " + e.getMessage());
    }
    Object r;
    try {
      r = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close("interrupted");
      throw new ControlException(0, "interrupted");
    }
    if (r == null) {
      close("no reply within " + timeout.toMillis() + " ms");
      throw new ControlException(0, "no reply within " + timeout.toMillis() + " ms");
    }
    if (r == CLOSED) {
      throw new ControlException(0, "control connection closed: " + closeReason);
    }
    ControlReply reply = (ControlReply) r;
    if (!reply.ok()) {
      throw new ControlException(reply.status(), reply.message());
    }
    return reply;
  }

  /**
   * Authenticates with the cookie in {@code cookieFile}, waiting up to {@code wait} for tor to
   * write it: the file is read only once it holds its 32 bytes, never while it is empty.
   */
  public void authenticateWithCookie(Path cookieFile, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] cookie = null;
    while (true) {
      if (Files.isRegularFile(cookieFile) && Files.size(cookieFile) == COOKIE_BYTES) {
        cookie = Files.readAllBytes(cookieFile);
        if (cookie.length == COOKIE_BYTES) {
          break;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ControlException(0, "no authentication cookie in " + cookieFile);
      }
      sleep(50);
    }
    try {
      command("AUTHENTICATE " + ControlArgs.hex(cookie));
    } finally {
      java.util.Arrays.fill(cookie, (byte) 0);
    }
  }

  /** {@code GETINFO key...}: the values by key. */
  public Map<String, String> getInfo(String... keys) throws IOException {
    StringBuilder b = new StringBuilder("GETINFO");
    for (String k : keys) {
      b.append(' ').append(ControlArgs.keyword(k));
    }
    return command(b.toString()).keyValues();
  }

  /** {@code GETINFO key}: one value, or null when tor gives none. */
  public String getInfo(String key) throws IOException {
    return getInfo(new String[] {key}).get(key);
  }

  /** {@code SETEVENTS name...} (replaces the set of events this connection receives). */
  public void setEvents(List<String> names) throws IOException {
    StringBuilder b = new StringBuilder("SETEVENTS");
    for (String n : names) {
      b.append(' ').append(ControlArgs.keyword(n));
    }
    command(b.toString());
  }

  /** {@code SIGNAL name}, e.g. NEWNYM. */
  public void signal(String name) throws IOException {
    command("SIGNAL " + ControlArgs.keyword(name));
  }

  /** {@code SETCONF key="value"}. */
  public void setConf(String key, String value) throws IOException {
    command("SETCONF " + ControlArgs.keyword(key) + "=" + ControlArgs.quoted(value));
  }

  public boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    close("closed by Sluice");
  }

  private void close(String reason) {
    synchronized (replies) {
      if (closed) {
        return;
      }
      closed = true;
      closeReason = reason;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway; the reason above is what matters
    }
    replies.add(CLOSED);
    onClosed.accept(reason);
  }

  private void readLoop() {
    ReplyParser parser = new ReplyParser();
    String reason = "tor closed the connection";
    try (InputStream in = socket.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b != '\n') {
            if (line.size() >= MAX_LINE_BYTES) {
              throw new ControlProtocolException("line over " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
            continue;
          }
          byte[] raw = line.toByteArray();
          line.reset();
          int len = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
          ControlReply reply = parser.feed(new String(raw, 0, len, StandardCharsets.UTF_8));
          if (reply == null) {
            continue;
          }
          if (reply.isEvent()) {
            events.accept(reply);
          } else {
            replies.add(reply);
          }
        }
      }
    } catch (IOException e) {
      reason = closed ? closeReason : e.getMessage();
    } catch (RuntimeException e) {
      reason = "event listener failed: " + e;
    }
    close(reason);
  }

  private static void sleep(long ms) throws ControlException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException(0, "interrupted");
    }
  }
}
