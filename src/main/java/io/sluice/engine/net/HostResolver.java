package io.sluice.engine.net;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Turns a domain name into addresses, off the event loop. The engine calls it once per destination
 * name and never again for the same connection (the addresses it returns are the ones checked by
 * the policy and connected to).
 */
public interface HostResolver extends AutoCloseable {

  /**
   * Resolves {@code host} (never an IP literal: those are parsed by the caller). The stage fails
   * with {@link java.net.UnknownHostException} when the name does not resolve, or with {@link
   * java.util.concurrent.RejectedExecutionException} when the resolver is overloaded.
   */
  CompletionStage<List<InetAddress>> resolve(String host);

  @Override
  default void close() {}
}
