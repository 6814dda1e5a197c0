package io.sluice.vms.domain;

/**
 * The kernel's {@code ip=} boot parameter for a VM with a static IPv4 address, as used by
 * Firecracker-style VMs that boot a kernel directly. The kernel's format (nfsroot.rst, "ip="):
 *
 * <pre>
 * ip=&lt;client-ip&gt;:&lt;server-ip&gt;:&lt;gw-ip&gt;:&lt;netmask&gt;:&lt;hostname&gt;:&lt;device&gt;:&lt;autoconf&gt;
 * </pre>
 *
 * Sluice leaves the NFS server and the hostname empty and turns autoconfiguration off, so the line
 * is {@code ip=<client-ip>::<gw-ip>:<netmask>::<device>:off}, for example {@code
 * ip=192.168.100.7::192.168.100.1:255.255.255.0::eth0:off}. The kernel's {@code ip=} carries IPv4
 * only: a dedicated IPv6 address is configured inside the guest.
 */
public final class BootArgs {

  /** The guest's network device the line configures. */
  public static final String DEVICE = "eth0";

  private BootArgs() {}

  /**
   * The {@code ip=} line for {@code address}/{@code prefixLength} behind {@code gateway} ({@code
   * null}: no gateway, the field stays empty).
   */
  public static String ipLine(String address, String gateway, int prefixLength) {
    return "ip="
        + address
        + "::"
        + (gateway == null ? "" : gateway)
        + ":"
        + netmask(prefixLength)
        + "::"
        + DEVICE
        + ":off";
  }

  /** The dotted IPv4 netmask of a prefix length, e.g. 24 -> 255.255.255.0. */
  public static String netmask(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("IPv4 prefix length out of range: " + prefixLength);
    }
    long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    return ((mask >> 24) & 0xFF)
        + "."
        + ((mask >> 16) & 0xFF)
        + "."
        + ((mask >> 8) & 0xFF)
        + "."
        + (mask & 0xFF);
  }
}
