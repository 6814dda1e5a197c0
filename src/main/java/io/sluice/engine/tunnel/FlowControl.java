package io.sluice.engine.tunnel;

/**
 * Per-stream credit bookkeeping for both directions of one tunnel stream (protocol v1, see {@code
 * docs/tunnel-protocol.md}). Not thread-safe: confine to the connection's event loop.
 *
 * <p><b>Send side</b> (our DATA to the peer): starts at the initial window. {@link #sendable} says
 * how much may go now, {@link #consume} debits a sent DATA frame, {@link #grant} credits a received
 * WINDOW. At zero credit the stream simply stops sending; other streams are unaffected.
 *
 * <p><b>Receive side</b> (peer's DATA to us): {@link #receive} debits the credit we advertised and
 * reports an overrun (protocol error: reset the stream). The application reports bytes it has
 * actually drained with {@link #consumed}; {@link #toGrant} returns the WINDOW increment to send
 * once at least {@code threshold} drained bytes have accumulated (default: half the initial
 * window). A slow reader drains nothing, so nothing is granted and the peer stops: buffered data
 * per stream never exceeds the initial window.
 */
public final class FlowControl {

  /** Default initial window per stream and direction: 256 KiB. */
  public static final int DEFAULT_INITIAL_WINDOW = 256 * 1024;

  private final int initialWindow;
  private final int grantThreshold;

  /** Bytes we may still send. In {@code [0, 2^31-1]}. */
  private long sendCredit;

  /** Bytes the peer may still send us (what we advertised minus what arrived). */
  private long recvCredit;

  /** Received but not yet drained by the application. */
  private long buffered;

  /** Drained by the application but not yet returned to the peer in a WINDOW. */
  private long pendingGrant;

  /** Both directions start at {@code initialWindow}; WINDOW is sent after half of it is drained. */
  public FlowControl(int initialWindow) {
    this(initialWindow, Math.max(1, initialWindow / 2));
  }

  /**
   * @param initialWindow initial credit in each direction, {@code [1, 2^31-1]}
   * @param grantThreshold drained bytes that trigger a WINDOW, {@code [1, initialWindow]}
   */
  public FlowControl(int initialWindow, int grantThreshold) {
    if (initialWindow < 1) throw new IllegalArgumentException("initialWindow must be >= 1");
    if (grantThreshold < 1 || grantThreshold > initialWindow) {
      throw new IllegalArgumentException("grantThreshold must be in [1, initialWindow]");
    }
    this.initialWindow = initialWindow;
    this.grantThreshold = grantThreshold;
    this.sendCredit = initialWindow;
    this.recvCredit = initialWindow;
  }

  /** With {@link #DEFAULT_INITIAL_WINDOW}. */
  public FlowControl() {
    this(DEFAULT_INITIAL_WINDOW);
  }

  public int initialWindow() {
    return initialWindow;
  }

  public int grantThreshold() {
    return grantThreshold;
  }

  // ------------------------------------------------------------------------ send side

  /** Remaining credit for our DATA on this stream. */
  public long sendCredit() {
    return sendCredit;
  }

  /** True when no DATA may be sent until a WINDOW arrives. */
  public boolean sendBlocked() {
    return sendCredit == 0;
  }

  /**
   * How many of {@code wanted} bytes may be sent now: {@code min(wanted, sendCredit)}, never
   * negative.
   */
  public int sendable(int wanted) {
    if (wanted < 0) throw new IllegalArgumentException("wanted < 0");
    return (int) Math.min(wanted, sendCredit);
  }

  /**
   * Debits {@code n} bytes of DATA we are about to send.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   * @throws IllegalStateException if {@code n} exceeds the credit (a sender bug: ask {@link
   *     #sendable} first)
   */
  public void consume(int n) {
    if (n < 1) throw new IllegalArgumentException("n must be >= 1");
    if (n > sendCredit)
      throw new IllegalStateException("send of " + n + " exceeds credit " + sendCredit);
    sendCredit -= n;
  }

  /**
   * Credits a received WINDOW increment.
   *
   * @return false if the increment is not positive or would push the credit above 2^31-1: a
   *     protocol error for the stream (reset it); the credit is then unchanged
   */
  public boolean grant(long increment) {
    if (increment < 1 || sendCredit + increment > Frame.MAX_WINDOW) return false;
    sendCredit += increment;
    return true;
  }

  // ------------------------------------------------------------------------ receive side

  /** Credit the peer still has (what we advertised minus what it sent). */
  public long receiveCredit() {
    return recvCredit;
  }

  /** Bytes received but not yet drained by the application. */
  public long buffered() {
    return buffered;
  }

  /**
   * Accounts a received DATA frame of {@code n} bytes.
   *
   * @return false on overrun ({@code n} exceeds the credit we advertised) or {@code n < 1}: a
   *     protocol error for this stream (reset it); nothing is recorded then
   */
  public boolean receive(int n) {
    if (n < 1 || n > recvCredit) return false;
    recvCredit -= n;
    buffered += n;
    return true;
  }

  /**
   * The application drained {@code n} buffered bytes (e.g. wrote them to the target socket).
   *
   * @throws IllegalArgumentException if {@code n < 1} or more than {@link #buffered()}
   */
  public void consumed(int n) {
    if (n < 1 || n > buffered)
      throw new IllegalArgumentException("consumed " + n + " of " + buffered + " buffered");
    buffered -= n;
    pendingGrant += n;
  }

  /**
   * Decides whether to send a WINDOW now. Returns the increment to put in the WINDOW frame (and
   * records it as advertised), or 0 while fewer than {@link #grantThreshold()} drained bytes are
   * pending. Call after {@link #consumed}.
   */
  public int toGrant() {
    if (pendingGrant < grantThreshold) return 0;
    int inc = (int) pendingGrant; // pendingGrant <= initialWindow <= 2^31-1
    pendingGrant = 0;
    recvCredit += inc;
    return inc;
  }

  @Override
  public String toString() {
    return "FlowControl[send="
        + sendCredit
        + ", recv="
        + recvCredit
        + ", buffered="
        + buffered
        + ", pendingGrant="
        + pendingGrant
        + "]";
  }
}
