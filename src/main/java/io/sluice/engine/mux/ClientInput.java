package io.sluice.engine.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The client-to-agent direction of one tunnel stream, whichever way the stream is carried ({@link
 * FramesStream} or {@link DirectStream}): client bytes read but not yet sent (the stream is still
 * opening, or there is no credit or no bandwidth token), the client's EOF, and whether that EOF has
 * been passed on. Event-loop confined.
 */
final class ClientInput {

  private ByteBuf held;
  private boolean eof;
  private boolean eofSent;

  /** Appends {@code buf} (taking ownership) to the held bytes. */
  void add(ByteBufAllocator alloc, ByteBuf buf) {
    if (held == null) {
      held = buf;
    } else {
      CompositeByteBuf c =
          held instanceof CompositeByteBuf cb
              ? cb
              : alloc.compositeBuffer().addComponent(true, held);
      held = c.addComponent(true, buf);
    }
  }

  /** The held bytes (still owned here), or null. */
  ByteBuf held() {
    return held;
  }

  /** Takes the held bytes (the caller owns them now), or null. */
  ByteBuf take() {
    ByteBuf h = held;
    held = null;
    return h;
  }

  /** Puts back what could not be sent yet (null when everything went). Nothing may be held. */
  void putBack(ByteBuf rest) {
    if (held != null) {
      throw new IllegalStateException("bytes already held");
    }
    held = rest;
  }

  int readableBytes() {
    return held == null ? 0 : held.readableBytes();
  }

  /** The client shut its output down (no more bytes will be read). */
  void markEof() {
    eof = true;
  }

  boolean eof() {
    return eof;
  }

  /** The EOF has been passed on (FIN sent, or the data connection half-closed). */
  boolean eofSent() {
    return eofSent;
  }

  /**
   * True exactly once: when the client's EOF has been seen and not yet passed on. Call it once
   * every held byte is out; the caller passes the EOF on.
   */
  boolean takeEof() {
    if (eof && !eofSent) {
      eofSent = true;
      return true;
    }
    return false;
  }

  /** Releases the held bytes, if any. */
  void release() {
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
