package io.sluice.tor.domain;

import java.util.Locale;

/** Where one tor node is in its life; the API and metrics show the lower-case wire name. */
public enum NodeState {
  /** The process is being started; the control port is not up yet. */
  STARTING,
  /** The control port is up and tor is bootstrapping (a percentage goes with it). */
  BOOTSTRAPPING,
  /** Bootstrapped to 100 %: circuits can be built. */
  READY,
  /** A NEWNYM was sent and its {@code 650 SIGNAL NEWNYM} has not come yet. */
  ROTATING,
  /** Refused to start (a configuration error) or crashed too often; not restarted. */
  FAILED,
  /** Stopped by Sluice (scaled down or shut down). */
  STOPPED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
