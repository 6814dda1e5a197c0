package io.sluice.firewall.domain;

/**
 * Where rendered rules go: the kernel through {@code nft}/{@code iptables-restore} (the infra
 * implementation, optionally inside a network namespace), or a fake in tests. Blocking; every call
 * is bounded by the implementation's timeout.
 */
public interface RuleLoader {

  /** What a command did: its exit code and output (stdout and stderr). */
  record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Whether the backend's tools are installed and usable here (a harmless check). */
  boolean available(Backend backend);

  /** Checks rules without loading them ({@code nft -c -f}, {@code iptables-restore --test}). */
  Result check(Backend backend, Ruleset rules);

  /** Loads rules atomically (per table for iptables); on failure the old rules stay. */
  Result load(Backend backend, Ruleset rules);

  /**
   * The tag of the loaded rules (the nftables table comment; for iptables the tag rule's comment),
   * or {@code null} when Sluice's rules are not (fully) in place.
   */
  String loadedTag(Backend backend);

  /** Removes Sluice's table or chains, and nothing else. */
  Result remove(Backend backend);

  /** A kernel setting's value ({@code sysctl -n}), or {@code null} when it cannot be read. */
  String sysctl(String key);

  /** Sets a kernel setting ({@code sysctl -w key=value}). */
  Result setSysctl(String key, String value);

  /**
   * Writes the settings as a sysctl drop-in ({@code /etc/sysctl.d/60-sluice.conf}) so they survive
   * a reboot; refused inside a network namespace (the file would apply to the host).
   */
  Result persistSysctl(java.util.Map<String, String> settings);
}
