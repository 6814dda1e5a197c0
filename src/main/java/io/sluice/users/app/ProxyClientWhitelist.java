package io.sluice.users.app;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.platform.net.CidrLists;
import io.sluice.settings.app.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SOCKS/HTTP proxy client whitelist: CIDRs allowed to use the proxy listeners at all (empty:
 * everyone). Set by {@code SLUICE_PROXY_CLIENT_WHITELIST} on the first start and by the API
 * afterwards; every node applies a change within seconds. Per-user lists ({@code allowedClients})
 * narrow it further.
 */
@ApplicationScoped
public class ProxyClientWhitelist {

  static final String NAME = "proxy_client_whitelist";

  @Inject SettingsStore settings;

  @Inject
  @ConfigProperty(name = "sluice.proxy.client-whitelist", defaultValue = " ")
  String initial;

  private volatile String parsedFrom = "";
  private volatile SourceWhitelist parsed = SourceWhitelist.EMPTY;

  void onStart(@Observes SluiceStarted started) {
    List<String> cidrs = CidrLists.split(initial);
    SourceWhitelist.parse(cidrs);
    settings.putIfAbsent(NAME, String.join(",", cidrs), "environment");
  }

  /** The current list, parsed once per change (called for every proxy connection). */
  public SourceWhitelist current() {
    String raw = settings.get(NAME).orElse("");
    if (!raw.equals(parsedFrom)) {
      parsed = raw.isBlank() ? SourceWhitelist.EMPTY : SourceWhitelist.parse(CidrLists.split(raw));
      parsedFrom = raw;
    }
    return parsed;
  }

  public List<String> cidrs() {
    return CidrLists.split(settings.get(NAME).orElse(""));
  }

  public List<String> update(List<String> cidrs, String actor) {
    CidrLists.validate("cidrs", cidrs);
    settings.put(NAME, String.join(",", cidrs), actor);
    return cidrs;
  }
}
