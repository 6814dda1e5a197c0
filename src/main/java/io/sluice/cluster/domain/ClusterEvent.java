package io.sluice.cluster.domain;

import java.time.Instant;

/**
 * One change published to every node: {@code kind} names it (e.g. {@code proxy-user}), {@code
 * origin} is the node that made it, {@code subjectId}/{@code subject} what it is about, {@code
 * detail} the kind-specific rest (for a proxy user: the change kind and whether live sessions must
 * be cut).
 */
public record ClusterEvent(
    long id,
    String origin,
    String kind,
    Long subjectId,
    String subject,
    String detail,
    Instant createdAt) {

  public static final String PROXY_USER = "proxy-user";
  public static final String EXITS = "exits";
  public static final String TUNNELS = "tunnels";
  public static final String AGENT = "agent";

  /** An agent connected to ({@code subject} "connected") or left ("disconnected") the origin. */
  public static final String AGENT_PLACEMENT = "agent-placement";

  public static final String SETTING = "setting";
}
