package io.sluice.platform.problem;

/**
 * Counts the nesting of objects and arrays in a JSON text as its bytes stream by, without parsing
 * it: brackets inside strings (escapes included) do not count. Used to refuse a body that nests
 * deeper than a limit before any parser recurses into it. Bytes of multi-byte UTF-8 characters are
 * never mistaken for structure (they are all 0x80 and above). Not thread-safe: one per body.
 */
public final class JsonNesting {

  private final int max;
  private int depth;
  private boolean inString;
  private boolean escaped;

  /**
   * @param max the deepest nesting allowed ({@code [[1]]} nests 2 deep)
   */
  public JsonNesting(int max) {
    this.max = max;
  }

  /** Feeds bytes; {@code false} once the nesting has gone deeper than the limit. */
  public boolean feed(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (!feed(buf[i])) {
        return false;
      }
    }
    return true;
  }

  /** Feeds one byte; {@code false} once the nesting has gone deeper than the limit. */
  public boolean feed(int b) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
      return true;
    }
    switch (b) {
      case '"' -> inString = true;
      case '{', '[' -> {
        if (++depth > max) {
          return false;
        }
      }
      case '}', ']' -> depth = Math.max(0, depth - 1);
      default -> {}
    }
    return true;
  }

  public int depth() {
    return depth;
  }

  public int max() {
    return max;
  }
}
