package io.sluice.firewall.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code sluice.firewall.*} settings (environment {@code SLUICE_FIREWALL_*}). */
@ApplicationScoped
public class FirewallSettings {

  @Inject
  @ConfigProperty(name = "sluice.firewall.apply", defaultValue = "false")
  boolean apply;

  @Inject
  @ConfigProperty(name = "sluice.firewall.backend", defaultValue = "auto")
  String backend;

  @Inject
  @ConfigProperty(name = "sluice.firewall.netns", defaultValue = " ")
  String netns;

  @Inject
  @ConfigProperty(name = "sluice.firewall.transparent-port", defaultValue = "0")
  int transparentPort;

  @Inject
  @ConfigProperty(name = "sluice.firewall.egress-interface", defaultValue = " ")
  String egressInterface;

  @Inject
  @ConfigProperty(name = "sluice.firewall.control-ports", defaultValue = "40000-40099")
  String controlPorts;

  @Inject
  @ConfigProperty(name = "sluice.firewall.reconcile-seconds", defaultValue = "30")
  int reconcileSeconds;

  @Inject
  @ConfigProperty(name = "sluice.firewall.dir", defaultValue = " ")
  String dir;

  @Inject
  @ConfigProperty(name = "sluice.socks.port", defaultValue = "1080")
  int socksPort;

  @Inject
  @ConfigProperty(name = "sluice.http-proxy.port", defaultValue = "3128")
  int httpProxyPort;

  @Inject
  @ConfigProperty(name = "sluice.mixed.port", defaultValue = "0")
  int mixedPort;

  @Inject
  @ConfigProperty(name = "http.port", defaultValue = "9080")
  int httpPort;

  @Inject
  @ConfigProperty(name = "https.port", defaultValue = "9443")
  int httpsPort;

  /** Whether Sluice loads its rules into the kernel ({@code SLUICE_FIREWALL_APPLY}). */
  public boolean apply() {
    return apply;
  }

  /** {@code auto}, {@code nftables} or {@code iptables}. */
  public String backend() {
    return backend.trim();
  }

  /** The network namespace the rules go to, or {@code null}. */
  public String netns() {
    return netns.isBlank() ? null : netns.trim();
  }

  /** The transparent listener's port; 0: no transparent listener and no redirect. */
  public int transparentPort() {
    return transparentPort;
  }

  public String egressInterface() {
    return egressInterface.isBlank() ? null : egressInterface.trim();
  }

  /** {@code first-last}, or blank for none. */
  public String controlPorts() {
    return controlPorts.trim();
  }

  public int reconcileSeconds() {
    return Math.max(1, reconcileSeconds);
  }

  /** Where rules files are written: {@code sluice.firewall.dir}, else the temporary directory. */
  public String dir() {
    return dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir.trim();
  }

  int socksPort() {
    return socksPort;
  }

  int httpProxyPort() {
    return httpProxyPort;
  }

  int mixedPort() {
    return mixedPort;
  }

  int httpPort() {
    return httpPort;
  }

  int httpsPort() {
    return httpsPort;
  }
}
