package io.sluice.engine.spi;

import java.net.InetSocketAddress;

/**
 * What the engine knows about a client connection before it is authenticated.
 *
 * @param connectionId short id carried in every log line of this connection
 * @param client the client's address
 * @param listener the name of the listener that accepted it (e.g. {@code socks}, {@code http})
 * @param local the local address the client connected to
 */
public record ConnectionInfo(
    String connectionId, InetSocketAddress client, String listener, InetSocketAddress local) {}
