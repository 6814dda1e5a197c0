package io.sluice.tor.infra.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reply of the control protocol (control-spec section 2.3): the lines of a {@code
 * MidReplyLine}* / {@code DataReplyLine}* / {@code EndReplyLine} sequence, all with the same status
 * code.
 *
 * @param status the three-digit status ({@code 250} OK, {@code 5xx} errors, {@code 650} events)
 * @param lines the lines in order; the last one is the end line
 */
public record ControlReply(int status, List<Line> lines) {

  /**
   * One reply line.
   *
   * @param text the text after {@code StatusCode SP/-/+}
   * @param data the data body of a {@code +} line (dot-unescaped, lines joined with LF), else null
   */
  public record Line(String text, String data) {}

  public ControlReply {
    lines = List.copyOf(lines);
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public boolean isEvent() {
    return status >= 600 && status < 700;
  }

  /** The text of the last (end) line. */
  public String message() {
    return lines.get(lines.size() - 1).text();
  }

  /**
   * The {@code key=value} pairs of a {@code GETINFO} or {@code GETCONF} reply; a data line gives
   * its body as the value. The final {@code OK} line is skipped.
   */
  public Map<String, String> keyValues() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Line l : lines) {
      int eq = l.text().indexOf('=');
      if (l.data() != null) {
        out.put(eq < 0 ? l.text() : l.text().substring(0, eq), l.data());
      } else if (eq > 0) {
        out.put(l.text().substring(0, eq), l.text().substring(eq + 1));
      } else if (!l.text().equals("OK")) {
        out.put(l.text(), "");
      }
    }
    return out;
  }
}
