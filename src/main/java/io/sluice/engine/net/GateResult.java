package io.sluice.engine.net;

import java.net.InetAddress;
import java.util.List;

/** Outcome of resolving a destination and asking the policy about every address. */
public sealed interface GateResult {

  /** Every address was allowed; connect to one of exactly these (in order). */
  record Allowed(List<InetAddress> addresses) implements GateResult {}

  /** At least one address was denied; nothing may be connected. */
  record Denied(InetAddress address, String reason) implements GateResult {}

  /**
   * The destination name itself is refused before any look-up (an ambiguous IPv4 literal): the
   * front ends answer as for a policy denial.
   */
  record Refused(String reason) implements GateResult {}

  /** The name did not resolve (or the resolver was overloaded). */
  record Unresolvable(String reason) implements GateResult {}
}
