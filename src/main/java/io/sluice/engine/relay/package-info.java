/**
 * The byte relay between a client and an upstream channel (backpressure, shaping, half close, idle
 * close). Depends on Netty, bucket4j and {@code io.sluice.engine.session}.
 */
package io.sluice.engine.relay;
