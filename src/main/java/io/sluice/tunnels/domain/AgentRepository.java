package io.sluice.tunnels.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored tunnel agents (table {@code tunnel_agent}). Callers own the transaction. */
public interface AgentRepository {

  /** What the relay checks a presented token against. */
  record Credentials(String tokenHash, boolean enabled) {}

  boolean nameExists(String name);

  /** The next agent id from the sequence (it is part of the agent's token). */
  long nextId();

  /** Stores a new, enabled agent; {@code allowedTargets} empty or null = any target. */
  void insert(long id, String name, String tokenHash, List<String> allowedTargets, Instant now);

  /** All agents ordered by id. */
  List<TunnelAgent> all();

  Optional<TunnelAgent> byId(long id);

  /** False when there is no such agent. */
  boolean setEnabled(long id, boolean enabled, Instant now);

  /** False when there is no such agent. */
  boolean setTokenHash(long id, String tokenHash, Instant now);

  /** False when there is no such agent. */
  boolean delete(long id);

  Optional<Credentials> credentials(long id);

  /** Records that {@code node} holds the agent's connection now (replaces any other node). */
  void place(long id, String node, Instant at);

  /** Clears the agent's node, only if it is still {@code node} (a newer node's claim stays). */
  void unplace(long id, String node);

  /** Agent id -> the node that last said it holds the agent's connection (agents with one). */
  java.util.Map<Long, String> placements();
}
