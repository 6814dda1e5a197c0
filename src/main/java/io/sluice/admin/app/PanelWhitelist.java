package io.sluice.admin.app;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.platform.net.CidrLists;
import io.sluice.platform.problem.ApiException;
import io.sluice.settings.app.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The panel whitelist: CIDRs (IPv4 and IPv6) allowed to reach the admin API. Empty means every
 * address. Set by {@code SLUICE_PANEL_WHITELIST} on the first start and by the API afterwards
 * (shared through the database; other nodes pick a change up within 5 seconds). An update that
 * would shut out the caller's own address is refused unless forced; {@code
 * SLUICE_PANEL_WHITELIST_DISABLE=true} is the emergency way back in.
 */
@ApplicationScoped
public class PanelWhitelist {

  private static final Logger LOG = System.getLogger(PanelWhitelist.class.getName());
  static final String NAME = "panel_whitelist";

  @Inject SettingsStore settings;

  @Inject
  @ConfigProperty(name = "sluice.panel.whitelist", defaultValue = " ")
  String initial;

  @Inject
  @ConfigProperty(name = "sluice.panel.whitelist-disable", defaultValue = "false")
  boolean disabled;

  void onStart(@Observes SluiceStarted started) {
    List<String> cidrs = CidrLists.split(initial);
    SourceWhitelist.parse(cidrs); // a bad environment value fails the start with its reason
    settings.putIfAbsent(NAME, String.join(",", cidrs), "environment");
    if (disabled) {
      LOG.log(
          Level.WARNING,
          "SLUICE0060W: SLUICE_PANEL_WHITELIST_DISABLE=true: the panel whitelist is not enforced");
    }
  }

  public boolean disabledByEnvironment() {
    return disabled;
  }

  /** Whether {@code ip} may reach the admin API. */
  public boolean allows(String ip) {
    return disabled || CidrLists.allows(cidrs(), ip);
  }

  public List<String> cidrs() {
    return CidrLists.split(settings.get(NAME).orElse(""));
  }

  /** Replaces the list; refuses one that excludes {@code callerIp} unless {@code force}. */
  public List<String> update(List<String> cidrs, boolean force, String callerIp, String actor) {
    CidrLists.validate("cidrs", cidrs);
    if (!cidrs.isEmpty() && !force && !CidrLists.allows(cidrs, callerIp)) {
      throw new ApiException(
          409,
          "self-lockout",
          "Would lock you out",
          "the list does not include your own address "
              + callerIp
              + "; add it, or send force: true",
          null);
    }
    settings.put(NAME, String.join(",", cidrs), actor);
    LOG.log(
        Level.INFO, "SLUICE0061I: panel whitelist set by {0}: {1}", new Object[] {actor, cidrs});
    return cidrs;
  }
}
