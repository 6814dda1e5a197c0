package io.sluice.engine.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every record of the {@code io.sluice} loggers (System.Logger is backed by
 * java.util.logging here) at every level, formatted with its parameters and stack trace.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.sluice");
  private final Level previous;
  private final SimpleFormatter formatter = new SimpleFormatter();
  public final List<String> lines = new CopyOnWriteArrayList<>();

  public LogCapture() {
    previous = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    StringBuilder b = new StringBuilder(formatter.formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter w = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(w));
      b.append('\n').append(w);
    }
    lines.add(b.toString());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
