package io.sluice.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * One-line, timestamped log on a stream (stderr in production): {@code 2026-11-22T10:00:00.123Z
 * sluice-agent <message>}. Debug lines (per stream) only with {@code --verbose}. Callers never pass
 * the token.
 */
public final class AgentLog {

  private final PrintStream out;
  private final boolean verbose;

  public AgentLog(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  public boolean verbose() {
    return verbose;
  }

  public void info(String message) {
    String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " sluice-agent " + message;
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** Logs only with {@code --verbose}; the message is not built otherwise. */
  public void debug(Supplier<String> message) {
    if (verbose) {
      info(message.get());
    }
  }
}
