package io.sluice.engine.mux;

import io.sluice.engine.tunnel.Frame;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Streams offered to their agents as direct streams (OPEN_DIRECT) and waiting for the agent's data
 * connection, by one-time key. A key is good for one claim and only while its stream is opening; a
 * data connection with any other key is refused. Thread-safe.
 */
public final class DirectStreams {

  /** First bytes of a data connection: ASCII "SLD1", then the key. */
  static final byte[] MAGIC = {'S', 'L', 'D', '1'};

  static final int PREAMBLE_BYTES = MAGIC.length + Frame.DIRECT_KEY_BYTES;

  private final SecureRandom random = new SecureRandom();
  private final Map<ByteBuffer, TunnelPortHandler> waiting = new ConcurrentHashMap<>();
  private final LongAdder paired = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private volatile int port;

  /** The data port announced in OPEN_DIRECT; 0 while there is none (direct streams are off). */
  public int port() {
    return port;
  }

  /** Sets the announced data port (the direct listener's bound port), or 0 to stop offering. */
  public void port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    this.port = port;
  }

  /** Data connections paired with their stream so far. */
  public long paired() {
    return paired.sum();
  }

  /** Data connections refused (bad preamble, unknown or used key, too slow). */
  public long rejected() {
    return rejected.sum();
  }

  /** Streams waiting for their data connection now. */
  public int waiting() {
    return waiting.size();
  }

  byte[] register(TunnelPortHandler stream) {
    while (true) {
      byte[] key = new byte[Frame.DIRECT_KEY_BYTES];
      random.nextBytes(key);
      if (waiting.putIfAbsent(ByteBuffer.wrap(key), stream) == null) {
        return key;
      }
    }
  }

  /** The stream waiting for {@code key}, removed so that the key cannot be used again; or null. */
  TunnelPortHandler claim(byte[] key) {
    TunnelPortHandler s = waiting.remove(ByteBuffer.wrap(key));
    if (s == null) {
      rejected.increment();
    } else {
      paired.increment();
    }
    return s;
  }

  void forget(byte[] key, TunnelPortHandler stream) {
    waiting.remove(ByteBuffer.wrap(key), stream);
  }

  void rejectedOne() {
    rejected.increment();
  }
}
