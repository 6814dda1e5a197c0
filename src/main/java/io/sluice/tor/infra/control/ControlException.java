package io.sluice.tor.infra.control;

import java.io.IOException;

/** A command failed: tor answered with an error status, or no answer came in time. */
public class ControlException extends IOException {

  private final int status;

  public ControlException(int status, String message) {
    super(status == 0 ? message : status + " " + message);
    this.status = status;
  }

  /** Tor's status code, 0 when there was no reply (time-out, closed connection). */
  public int status() {
    return status;
  }
}
