package io.sluice.console.domain;

import java.util.Map;

/** Live numbers of this node's proxy engine, for the console's periodic snapshot. */
public interface LiveCounts {

  /** Live proxy sessions on this node. */
  int sessions();

  /** Exits by state ({@code healthy}, {@code suspect}, {@code unhealthy}, {@code disabled}). */
  Map<String, Long> exitsByState();
}
