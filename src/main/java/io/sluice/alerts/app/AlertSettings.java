package io.sluice.alerts.app;

import io.sluice.alerts.domain.RuleSettings;
import io.sluice.alerts.domain.Rules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Rule settings from MicroProfile Config, over {@link Rules}' defaults: {@code
 * sluice.alerts.<rule>.enabled}, {@code .threshold}, {@code .for-seconds}, {@code .repeat-seconds},
 * {@code .severity} (environment: {@code SLUICE_ALERTS_POOL_FAILING_THRESHOLD} and so on).
 */
@ApplicationScoped
public class AlertSettings {

  @Inject Config config;

  public RuleSettings of(String rule) {
    RuleSettings d = Rules.defaults(rule);
    String p = "sluice.alerts." + rule + ".";
    return new RuleSettings(
        rule,
        config.getOptionalValue(p + "enabled", Boolean.class).orElse(d.enabled()),
        config.getOptionalValue(p + "threshold", Double.class).orElse(d.threshold()),
        config
            .getOptionalValue(p + "for-seconds", Long.class)
            .map(Duration::ofSeconds)
            .orElse(d.forDuration()),
        config
            .getOptionalValue(p + "repeat-seconds", Long.class)
            .map(Duration::ofSeconds)
            .orElse(d.repeat()),
        config.getOptionalValue(p + "severity", String.class).orElse(d.severity()));
  }

  public List<RuleSettings> all() {
    return Rules.ALL.stream().map(this::of).toList();
  }
}
