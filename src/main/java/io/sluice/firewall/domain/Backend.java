package io.sluice.firewall.domain;

import java.util.Locale;

/** How rules reach the kernel. */
public enum Backend {
  /** {@code nft -f}: the table {@code inet sluice}, replaced atomically. */
  NFTABLES,
  /**
   * {@code iptables-restore --noflush} and {@code ip6tables-restore}: the {@code SLUICE-*} chains.
   */
  IPTABLES;

  /** The wire name: {@code nftables} or {@code iptables}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The backend of a wire name, or {@code null}. */
  public static Backend ofWire(String s) {
    for (Backend b : values()) {
      if (b.wire().equals(s)) {
        return b;
      }
    }
    return null;
  }
}
