package io.sluice.tor.infra.control;

import java.io.IOException;

/** Tor sent something that is not the control protocol; the connection cannot be trusted. */
public class ControlProtocolException extends IOException {

  public ControlProtocolException(String message) {
    super(message);
  }
}
