package io.sluice.tor.infra.process;

import java.time.Duration;
import java.time.Instant;

/**
 * What a node's asynchronous control events say, kept between them: bootstrap progress ({@code
 * STATUS_CLIENT}), rotation progress ({@code 650 SIGNAL NEWNYM} done, tor's rate-limit {@code
 * NOTICE} deferred), network liveness ({@code NETWORK_LIVENESS}) and the circuit of the last user
 * stream ({@code STREAM}, for the node's exit). One per supervisor; events arrive on the control
 * reader's thread, reads come from anywhere.
 */
final class NodeProgress {

  /** What an event changed, for the supervisor to report. */
  enum Kind {
    NONE,
    /** a new bootstrap percentage */
    PROGRESS,
    /** tor did a NEWNYM */
    NEWNYM_DONE,
    /** tor delayed a NEWNYM (its rate limit) */
    NEWNYM_DEFERRED
  }

  /** An event's outcome; {@code delaySeconds} for {@link Kind#NEWNYM_DEFERRED}. */
  record Outcome(Kind kind, int delaySeconds) {
    static final Outcome NONE = new Outcome(Kind.NONE, 0);
  }

  private volatile int percent;
  private volatile boolean rotating;
  private volatile String rotation = "none";
  private volatile Instant lastRotationAt;
  private volatile long newnyms;
  private volatile boolean livenessDown;
  private volatile long livenessDownSince;
  private volatile String usedCircuit;
  private final ExitTracker.Streams streams = new ExitTracker.Streams();

  /** A new life of the tor process: nothing known yet. */
  void reset() {
    percent = 0;
    usedCircuit = null;
    livenessDown = false;
  }

  /** The bootstrap percentage asked at start ({@code GETINFO status/bootstrap-phase}). */
  void started(int percent) {
    this.percent = Math.max(percent, 0);
  }

  /** A NEWNYM was sent: {@code rotating} until tor says it is done. */
  void requested() {
    rotating = true;
    rotation = "requested";
  }

  /** The NEWNYM could not be sent. */
  void notSent() {
    rotating = false;
    rotation = "none";
  }

  /** The process ended or failed: no rotation is in progress. */
  void ended() {
    rotating = false;
  }

  /** Applies one asynchronous event's text. */
  Outcome apply(String text) {
    if (text.startsWith("STATUS_CLIENT ")) {
      int p = BootstrapPhase.progress(text);
      if (p >= 0) {
        percent = p;
        return new Outcome(Kind.PROGRESS, 0);
      }
    } else if (text.startsWith("STREAM ")) {
      String circuit = streams.onEvent(text);
      if (circuit != null) {
        usedCircuit = circuit;
      }
    } else if (text.equals("SIGNAL NEWNYM")) {
      usedCircuit = null;
      rotating = false;
      rotation = "done";
      lastRotationAt = Instant.now();
      newnyms++;
      return new Outcome(Kind.NEWNYM_DONE, 0);
    } else if (text.startsWith("NOTICE ")) {
      int delay = BootstrapPhase.newnymDelay(text);
      if (delay >= 0) {
        rotation = "deferred";
        return new Outcome(Kind.NEWNYM_DEFERRED, delay);
      }
    } else if (text.startsWith("NETWORK_LIVENESS ")) {
      boolean down = text.endsWith(" DOWN");
      if (down && !livenessDown) {
        livenessDownSince = System.nanoTime();
      }
      livenessDown = down;
    }
    return Outcome.NONE;
  }

  /** Whether tor has said the network is down, continuously for longer than {@code limit}. */
  boolean livenessDownLongerThan(Duration limit) {
    return livenessDown && System.nanoTime() - livenessDownSince > limit.toNanos();
  }

  int percent() {
    return percent;
  }

  boolean rotating() {
    return rotating;
  }

  String rotation() {
    return rotation;
  }

  Instant lastRotationAt() {
    return lastRotationAt;
  }

  long newnyms() {
    return newnyms;
  }

  String usedCircuit() {
    return usedCircuit;
  }
}
