package io.sluice.engine.mux;

import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of one authenticated agent connection: the streams multiplexed over it. Streams
 * are opened by {@link TunnelPortHandler} (one per accepted public connection); frames from the
 * agent arrive through {@link #onFrame} on whatever thread the WebSocket container uses and are
 * handed to the stream's event loop. Thread-safe.
 *
 * <p>Stream ids are odd and strictly increasing (1, 3, 5, ...). At most {@code maxStreams} streams
 * are open at a time: with the per-stream window this bounds what either side buffers for this
 * agent to {@code maxStreams * initialWindow} bytes.
 */
public final class TunnelMux {

  /**
   * Where encoded frames go (the WebSocket). {@link #send} must not block, must keep the order of
   * frames sent from one thread, and may be called from any thread.
   */
  public interface FrameSink {
    void send(ByteBuffer encodedFrame);

    /** Closes the connection with a WebSocket close code and reason. */
    void close(int code, String reason);
  }

  private final long agentId;
  private final FrameSink sink;
  private final FrameCodec codec;
  private final int initialWindow;
  private final int maxStreams;
  private final Object openLock = new Object();
  private long nextStreamId = 1;
  private final Map<Long, TunnelPortHandler> streams = new ConcurrentHashMap<>();
  private final DirectStreams direct;
  private volatile boolean closed;

  public TunnelMux(
      long agentId, FrameSink sink, int initialWindow, int maxPayload, int maxStreams) {
    this(agentId, sink, initialWindow, maxPayload, maxStreams, null);
  }

  /**
   * @param direct where streams wait for the agent's data connection, or {@code null} when this
   *     agent does not take direct streams; streams are offered as OPEN_DIRECT while {@code
   *     direct.port()} is not 0
   */
  public TunnelMux(
      long agentId,
      FrameSink sink,
      int initialWindow,
      int maxPayload,
      int maxStreams,
      DirectStreams direct) {
    this.direct = direct;
    this.agentId = agentId;
    this.sink = Objects.requireNonNull(sink, "sink");
    this.codec = new FrameCodec(maxPayload);
    if (initialWindow < 1 || maxStreams < 1) {
      throw new IllegalArgumentException("initialWindow and maxStreams must be >= 1");
    }
    this.initialWindow = initialWindow;
    this.maxStreams = maxStreams;
  }

  public long agentId() {
    return agentId;
  }

  public int initialWindow() {
    return initialWindow;
  }

  public int maxPayload() {
    return codec.maxPayload();
  }

  /** Streams open now. */
  public int activeStreams() {
    return streams.size();
  }

  /** True when streams of this connection are offered as direct streams. */
  public boolean offersDirect() {
    return direct != null && direct.port() > 0;
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Registers a new stream and sends its OPEN (or OPEN_DIRECT). Returns {@link OpenResult.Opened}
   * with the stream id, or {@link OpenResult.Refused}: {@code CONNECTION_CLOSED} when the
   * connection is gone, {@code IDS_EXHAUSTED} when it has used up its stream ids (it is then
   * closed), {@code TOO_MANY_STREAMS} when {@code maxStreams} streams are open. Allocation and send
   * happen under one lock so OPENs reach the agent in increasing id order, whichever event loops
   * the streams live on.
   */
  OpenResult open(TunnelPortHandler stream, String host, int port) {
    synchronized (openLock) {
      if (closed) {
        return OpenResult.Reason.CONNECTION_CLOSED.refused();
      }
      if (streams.size() >= maxStreams) {
        return OpenResult.Reason.TOO_MANY_STREAMS.refused();
      }
      long id = nextStreamId;
      if (id > Frame.MAX_STREAM_ID) {
        // Ids are never reused: the agent has to reconnect to get a fresh id space.
        closed = true;
        sink.send(codec.encode(new Frame.GoAway("stream ids exhausted")));
        sink.close(1001, "stream ids exhausted");
        return OpenResult.Reason.IDS_EXHAUSTED.refused();
      }
      nextStreamId += 2;
      streams.put(id, stream);
      if (closed) { // lost a race with connectionClosed(): it may not have seen this stream
        streams.remove(id);
        return OpenResult.Reason.CONNECTION_CLOSED.refused();
      }
      DirectStreams d = direct;
      int dataPort = d == null ? 0 : d.port();
      if (dataPort > 0) {
        byte[] key = d.register(stream);
        stream.offeredDirect(d, key);
        sink.send(codec.encode(new Frame.OpenDirect(id, host, port, dataPort, key)));
      } else {
        sink.send(codec.encode(new Frame.Open(id, host, port)));
      }
      return new OpenResult.Opened(id);
    }
  }

  void remove(long id, TunnelPortHandler stream) {
    streams.remove(id, stream);
  }

  void send(Frame frame) {
    if (!closed) {
      sink.send(codec.encode(frame));
    }
  }

  void sendData(long streamId, ByteBuffer payload) {
    if (!closed) {
      sink.send(codec.encodeData(streamId, payload));
    }
  }

  /**
   * A stream-level frame from the agent (OPEN_OK, OPEN_FAIL, DATA, CLOSE, WINDOW). Frames for
   * unknown or finished streams are ignored (they may have crossed a RESET). Returns false for a
   * frame an agent may never send (OPEN, or a connection-level frame): the caller closes the
   * connection with a protocol error.
   */
  public boolean onFrame(Frame frame) {
    if (frame instanceof Frame.Open || frame instanceof Frame.OpenDirect || frame.streamId() == 0) {
      return false;
    }
    TunnelPortHandler stream = streams.get(frame.streamId());
    if (stream != null) {
      try {
        stream.deliver(frame);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // the engine is stopping; its channels are being closed anyway
      }
    }
    return true;
  }

  /** The WebSocket is gone: every stream is aborted (their public connections are closed). */
  public void connectionClosed() {
    closed = true;
    for (TunnelPortHandler s : streams.values()) {
      try {
        s.connectionLost();
      } catch (RuntimeException e) {
        // the stream's event loop is shutting down (engine stop): it closes its channels itself
      }
    }
    streams.clear();
  }

  @Override
  public String toString() {
    return "TunnelMux[agent="
        + agentId
        + ", streams="
        + streams.size()
        + (closed ? ", closed" : "")
        + "]";
  }
}
