package io.sluice.engine.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Static configuration of a {@link io.sluice.engine.ProxyEngine}. Build with {@link #builder()};
 * every timeout and cap has a default.
 *
 * @param listeners listeners bound by {@link io.sluice.engine.ProxyEngine#start()} (more can be
 *     added at run time)
 * @param handshakeTimeout time a client has to finish its handshake (SOCKS negotiation up to the
 *     request, or the first HTTP request head); default 10 s
 * @param connectTimeout time to connect to a destination; default 10 s
 * @param idleTimeout a relayed session with no traffic either way for this long is closed; default
 *     5 min (also the keep-alive idle limit of HTTP client connections)
 * @param udpIdleTimeout a UDP association with no datagram either way for this long is closed;
 *     default 2 min
 * @param bindAcceptTimeout how long a SOCKS5 BIND waits for the peer to connect; default 60 s
 * @param maxHttpHeaderBytes cap of an HTTP request head (431 beyond it); default 64 KiB
 * @param ioThreads event-loop threads for connections; 0 means number of processors
 * @param resolverThreads threads doing blocking JDK name lookups; default 4
 * @param resolverQueue lookups allowed to wait for a resolver thread; beyond that a lookup fails at
 *     once (reported as host unreachable); default 256
 * @param preferNativeTransport use epoll when {@code Epoll.isAvailable()}, NIO otherwise; default
 *     true. Netty 4.2.18's epoll handler drops a descriptor whose interest set becomes empty (a
 *     half-closed connection with nothing to read) from the epoll set and then fails its next write
 *     that has to wait; {@code Transport} keeps such interest sets non-empty (see
 *     docs/dependencies.md). False runs on NIO.
 * @param splice relay the bytes of a session with splice(2) from socket to socket, without copying
 *     them through Java, where both ends are epoll sockets holding only the relay, per direction
 *     without bandwidth shaping; default true. Bytes are counted from the splice results.
 * @param spliceAfterBytes how many bytes a direction copies before it starts to splice; default 64
 *     KiB. A pipe and its splice calls cost more than copying a short exchange (a request and its
 *     answer), so only directions that carry more than this splice; 0 splices from the first byte
 * @param exitRetries how many more exits to try after connecting through the selected exit failed
 *     (each failed exit is excluded from the next selection); default 2, i.e. at most 3 attempts; 0
 *     disables failover. Each attempt has its own {@code connectTimeout}, so a client may wait up
 *     to {@code (1 + exitRetries) * connectTimeout}
 */
public record EngineConfig(
    List<ListenerConfig> listeners,
    Duration handshakeTimeout,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration udpIdleTimeout,
    Duration bindAcceptTimeout,
    int maxHttpHeaderBytes,
    int ioThreads,
    int resolverThreads,
    int resolverQueue,
    boolean preferNativeTransport,
    boolean splice,
    int spliceAfterBytes,
    int exitRetries) {

  public EngineConfig {
    listeners = List.copyOf(listeners);
    requirePositive(handshakeTimeout, "handshakeTimeout");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(udpIdleTimeout, "udpIdleTimeout");
    requirePositive(bindAcceptTimeout, "bindAcceptTimeout");
    if (maxHttpHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHttpHeaderBytes must be at least 1024");
    }
    if (exitRetries < 0 || exitRetries > 16) {
      throw new IllegalArgumentException("exitRetries must be 0-16");
    }
    if (spliceAfterBytes < 0) {
      throw new IllegalArgumentException("spliceAfterBytes must not be negative");
    }
    if (ioThreads < 0 || resolverThreads < 1 || resolverQueue < 1) {
      throw new IllegalArgumentException("thread counts out of range");
    }
    long names = listeners.stream().map(ListenerConfig::name).distinct().count();
    if (names != listeners.size()) {
      throw new IllegalArgumentException("listener names must be unique");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private final List<ListenerConfig> listeners = new ArrayList<>();
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration udpIdleTimeout = Duration.ofMinutes(2);
    private Duration bindAcceptTimeout = Duration.ofSeconds(60);
    private int maxHttpHeaderBytes = 64 * 1024;
    private int ioThreads;
    private int resolverThreads = 4;
    private int resolverQueue = 256;
    private boolean preferNativeTransport = true;
    private boolean splice = true;
    private int spliceAfterBytes = 64 * 1024;
    private int exitRetries = 2;

    private Builder() {}

    public Builder listener(ListenerConfig listener) {
      listeners.add(listener);
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      handshakeTimeout = d;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      connectTimeout = d;
      return this;
    }

    public Builder idleTimeout(Duration d) {
      idleTimeout = d;
      return this;
    }

    public Builder udpIdleTimeout(Duration d) {
      udpIdleTimeout = d;
      return this;
    }

    public Builder bindAcceptTimeout(Duration d) {
      bindAcceptTimeout = d;
      return this;
    }

    public Builder maxHttpHeaderBytes(int bytes) {
      maxHttpHeaderBytes = bytes;
      return this;
    }

    public Builder ioThreads(int n) {
      ioThreads = n;
      return this;
    }

    public Builder resolverThreads(int n) {
      resolverThreads = n;
      return this;
    }

    public Builder resolverQueue(int n) {
      resolverQueue = n;
      return this;
    }

    public Builder splice(boolean b) {
      splice = b;
      return this;
    }

    public Builder spliceAfterBytes(int bytes) {
      spliceAfterBytes = bytes;
      return this;
    }

    public Builder preferNativeTransport(boolean b) {
      preferNativeTransport = b;
      return this;
    }

    public Builder exitRetries(int n) {
      exitRetries = n;
      return this;
    }

    public EngineConfig build() {
      return new EngineConfig(
          listeners,
          handshakeTimeout,
          connectTimeout,
          idleTimeout,
          udpIdleTimeout,
          bindAcceptTimeout,
          maxHttpHeaderBytes,
          ioThreads,
          resolverThreads,
          resolverQueue,
          preferNativeTransport,
          splice,
          spliceAfterBytes,
          exitRetries);
    }
  }
}
