/**
 * What every front end shares: the engine context, the handshake timeout, and the connect step
 * (limits, gate, exit, session). Depends on Netty, bucket4j and the other {@code io.sluice.engine}
 * packages except the protocol front ends.
 */
package io.sluice.engine.core;
