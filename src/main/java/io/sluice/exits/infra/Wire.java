package io.sluice.exits.infra;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A connected socket with one overall deadline: every blocking read is armed with the time left,
 * so a slow or silent peer can never hold a probe past its deadline. Also reads HTTP/1.x heads
 * and bodies within the probe's size caps.
 */
final class Wire {

  /** Thrown for a failure whose message is final and safe to report. */
  static final class ProbeFailure extends Exception {
    ProbeFailure(String message) {
      super(message, null, false, false);
    }
  }

  record Head(int status, String reason, List<String[]> headers) {
    /** Last value of a header (names case-insensitive), or {@code null}. */
    String header(String name) {
      String v = null;
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          v = h[1];
        }
      }
      return v;
    }

    List<String> all(String name) {
      List<String> out = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          out.add(h[1]);
        }
      }
      return out;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final long deadline;

  Wire(Socket socket, long deadlineNanos) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    this.out = socket.getOutputStream();
    this.deadline = deadlineNanos;
  }

  private void arm() throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("deadline");
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1)));
  }

  void write(byte[] b) throws IOException {
    out.write(b);
    out.flush();
  }

  /** One byte, or -1 at end of stream. */
  int read() throws IOException {
    arm();
    return in.read();
  }

  /** One byte; end of stream is an {@link EOFException}. */
  int readByte() throws IOException {
    int b = read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      arm();
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new EOFException();
      }
      off += n;
      len -= n;
    }
  }

  byte[] readFully(int len) throws IOException {
    byte[] b = new byte[len];
    readFully(b, 0, len);
    return b;
  }

  /**
   * Reads one HTTP/1.x response head (status line + headers) of at most {@code maxBytes}. An
   * end of stream before the first byte is an {@link EOFException}.
   */
  Head readHead(int maxBytes) throws IOException, ProbeFailure {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    int last1 = -1;
    int last2 = -1;
    while (true) {
      int b = read();
      if (b < 0) {
        if (buf.size() == 0) {
          throw new EOFException();
        }
        throw new ProbeFailure("connection closed in the middle of the response headers");
      }
      if (buf.size() >= maxBytes) {
        throw new ProbeFailure("response headers exceed " + (maxBytes / 1024) + " KiB");
      }
      buf.write(b);
      if (b == '\n' && (last1 == '\n' || (last1 == '\r' && last2 == '\n'))) {
        break;
      }
      last2 = last1;
      last1 = b;
    }
    String text = buf.toString(StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    String statusLine = lines[0];
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3
        || !parts[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ProbeFailure("malformed HTTP response: \"" + printable(statusLine, 60) + "\"");
    }
    int status = Integer.parseInt(parts[1]);
    String reason = parts.length > 2 ? printable(parts[2].strip(), 60) : "";
    List<String[]> headers = new ArrayList<>();
    for (int k = 1; k < lines.length; k++) {
      String line = lines[k];
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProbeFailure("malformed HTTP response header");
      }
      headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
    }
    return new Head(status, reason, headers);
  }

  /** Reads a response body of at most {@code maxBytes} framed by {@code head}. */
  byte[] readBody(Head head, int maxBytes, int maxTrailerBytes) throws IOException, ProbeFailure {
    int status = head.status();
    if ((status >= 100 && status < 200) || status == 204 || status == 304) {
      return new byte[0];
    }
    String te = String.join(",", head.all("Transfer-Encoding")).toLowerCase(Locale.ROOT).strip();
    if (!te.isEmpty()) {
      String[] codings = te.split(",");
      if (codings[codings.length - 1].strip().equals("chunked")) {
        return readChunked(maxBytes, maxTrailerBytes);
      }
      return readToEnd(maxBytes);
    }
    List<String> lengths = head.all("Content-Length");
    if (!lengths.isEmpty()) {
      long length = -1;
      for (String v : String.join(",", lengths).split(",")) {
        long l;
        try {
          l = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
          throw new ProbeFailure("malformed Content-Length");
        }
        if (l < 0 || (length >= 0 && l != length)) {
          throw new ProbeFailure("malformed Content-Length");
        }
        length = l;
      }
      if (length > maxBytes) {
        throw new ProbeFailure(tooLarge(maxBytes));
      }
      try {
        return readFully((int) length);
      } catch (EOFException e) {
        throw new ProbeFailure("response body truncated (connection closed before Content-Length bytes)");
      }
    }
    return readToEnd(maxBytes);
  }

  private byte[] readToEnd(int maxBytes) throws IOException, ProbeFailure {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    while (true) {
      arm();
      int n = in.read(chunk);
      if (n < 0) {
        return body.toByteArray();
      }
      if (body.size() + n > maxBytes) {
        throw new ProbeFailure(tooLarge(maxBytes));
      }
      body.write(chunk, 0, n);
    }
  }

  private byte[] readChunked(int maxBytes, int maxTrailerBytes) throws IOException, ProbeFailure {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      while (true) {
        String line = readLine(1024);
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        long size;
        try {
          size = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          size = -1;
        }
        if (size < 0) {
          throw new ProbeFailure("malformed chunked encoding");
        }
        if (size == 0) {
          break;
        }
        if (body.size() + size > maxBytes) {
          throw new ProbeFailure(tooLarge(maxBytes));
        }
        body.write(readFully((int) size));
        if (!readLine(2).isEmpty()) {
          throw new ProbeFailure("malformed chunked encoding");
        }
      }
      int trailerBytes = 0;
      while (true) {
        String trailer = readLine(maxTrailerBytes);
        trailerBytes += trailer.length() + 2;
        if (trailer.isEmpty()) {
          return body.toByteArray();
        }
        if (trailerBytes > maxTrailerBytes) {
          throw new ProbeFailure("response trailers exceed " + (maxTrailerBytes / 1024) + " KiB");
        }
      }
    } catch (EOFException e) {
      throw new ProbeFailure("response body truncated (connection closed inside chunked body)");
    }
  }

  /** A CRLF- (or LF-) terminated line without its terminator. */
  private String readLine(int max) throws IOException, ProbeFailure {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = readByte();
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
          b.setLength(len - 1);
        }
        return b.toString();
      }
      if (b.length() > max) {
        throw new ProbeFailure("malformed chunked encoding (line too long)");
      }
      b.append((char) c);
    }
  }

  private static String tooLarge(int maxBytes) {
    return "response body exceeds " + (maxBytes / 1024) + " KiB";
  }

  /** {@code s} cut to {@code max} characters with control characters replaced. */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < s.length() && k < max; k++) {
      char c = s.charAt(k);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }
}
