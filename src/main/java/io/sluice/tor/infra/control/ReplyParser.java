package io.sluice.tor.infra.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles control-protocol replies from lines (control-spec section 2.3: {@code StatusCode "-"
 * text} mid lines, {@code StatusCode "+" text CRLF data "." CRLF} data lines and the {@code
 * StatusCode SP text} end line; section 2.1 dot-escaping inside data). Takes one line at a time
 * (without its CRLF) and returns the reply it completes, or null. Anything else is a {@link
 * ControlProtocolException}: a line shorter than four characters, a status that is not three
 * digits, a separator other than space, {@code -} or {@code +}, a status that changes inside a
 * reply, and replies or data bodies over the size limits.
 */
public final class ReplyParser {

  /** The most lines one reply may have. */
  public static final int MAX_LINES = 20_000;

  /** The most characters one data body may have. */
  public static final int MAX_DATA_CHARS = 4 * 1024 * 1024;

  private enum State {
    IDLE,
    IN_REPLY,
    IN_DATA
  }

  private State state = State.IDLE;
  private int status;
  private final List<ControlReply.Line> lines = new ArrayList<>();
  private String dataText;
  private StringBuilder data;

  /** Feeds one line (without CR LF); returns the reply it ends, else null. */
  public ControlReply feed(String line) throws ControlProtocolException {
    if (state == State.IN_DATA) {
      if (line.equals(".")) {
        addLine(new ControlReply.Line(dataText, data.toString()));
        data = null;
        dataText = null;
        state = State.IN_REPLY;
        return null;
      }
      String content = line.startsWith(".") ? line.substring(1) : line;
      if (data.length() + content.length() + 1 > MAX_DATA_CHARS) {
        throw new ControlProtocolException("data body over " + MAX_DATA_CHARS + " characters");
      }
      if (!firstDataLine) {
        data.append('\n');
      }
      firstDataLine = false;
      data.append(content);
      return null;
    }
    if (line.length() < 4) {
      throw new ControlProtocolException("reply line too short: " + printable(line));
    }
    int code = statusOf(line);
    char sep = line.charAt(3);
    if (state == State.IN_REPLY && code != status) {
      throw new ControlProtocolException(
          "status changed inside a reply: " + status + " then " + printable(line));
    }
    status = code;
    String text = line.substring(4);
    switch (sep) {
      case ' ' -> {
        addLine(new ControlReply.Line(text, null));
        ControlReply reply = new ControlReply(status, lines);
        lines.clear();
        state = State.IDLE;
        return reply;
      }
      case '-' -> {
        addLine(new ControlReply.Line(text, null));
        state = State.IN_REPLY;
        return null;
      }
      case '+' -> {
        dataText = text;
        data = new StringBuilder();
        firstDataLine = true;
        state = State.IN_DATA;
        return null;
      }
      default ->
          throw new ControlProtocolException("bad separator after status: " + printable(line));
    }
  }

  private boolean firstDataLine;

  /** True between the first and the last line of a reply. */
  public boolean inReply() {
    return state != State.IDLE;
  }

  private void addLine(ControlReply.Line l) throws ControlProtocolException {
    if (lines.size() >= MAX_LINES) {
      throw new ControlProtocolException("reply over " + MAX_LINES + " lines");
    }
    lines.add(l);
  }

  private static int statusOf(String line) throws ControlProtocolException {
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new ControlProtocolException("status is not three digits: " + printable(line));
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100) {
      throw new ControlProtocolException("status out of range: " + printable(line));
    }
    return code;
  }

  /** At most 80 characters of {@code s} with control characters shown as '?', for messages. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
