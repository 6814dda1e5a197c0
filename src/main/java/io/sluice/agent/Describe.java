package io.sluice.agent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Short, single-line descriptions of failures for the log (never a stack trace, never a token). */
final class Describe {

  private Describe() {}

  static String cause(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c == null) {
      return "unknown error";
    }
    if (c instanceof java.net.http.WebSocketHandshakeException h) {
      return "handshake refused: HTTP " + h.getResponse().statusCode();
    }
    if (c instanceof java.net.http.HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (c instanceof java.net.ConnectException && c.getMessage() == null) {
      return "connection refused";
    }
    String m = c.getMessage();
    String name = c.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : name + ": " + m.replaceAll("[\\r\\n]+", " ");
  }
}
