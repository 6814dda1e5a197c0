package io.sluice.admin.app;

import io.sluice.settings.app.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether the admin API (and export downloads) must be reached over HTTPS. Health probes and
 * metrics are separate Liberty endpoints and stay on plain HTTP. A run-time setting, shared by the
 * nodes; enable it over HTTPS (a plain-HTTP client is refused right after).
 */
@ApplicationScoped
public class HttpsPolicy {

  static final String NAME = "api_require_https";

  @Inject SettingsStore settings;

  public boolean required() {
    return Boolean.parseBoolean(settings.get(NAME).orElse("false"));
  }

  public void set(boolean required, String actor) {
    settings.put(NAME, String.valueOf(required), actor);
  }
}
