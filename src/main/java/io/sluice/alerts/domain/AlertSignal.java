package io.sluice.alerts.domain;

import java.util.Map;

/**
 * Raises ({@code active}) or clears an alert of a rule for one key: the generic hook. Other
 * features fire it as a CDI event (for example the firewall with rule {@link
 * Rules#FIREWALL_APPLY_FAILED} and the firewall's name as key, or Tor with {@link
 * Rules#TOR_COUNTRY_EXHAUSTED} and the country code); the alerts feature applies the rule's
 * settings ({@code for}, repeat, severity, enabled) and sends the notices.
 *
 * @param rule one of {@link Rules#ALL}
 * @param key what the alert is about within the rule (a pool name, an agent id, a country)
 * @param summary one line for people, without secrets
 * @param labels extra name/value pairs shown with the alert and sent as Alertmanager labels
 */
public record AlertSignal(
    String rule, String key, boolean active, String summary, Map<String, String> labels) {

  public AlertSignal {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    summary = summary == null ? "" : summary;
  }

  public static AlertSignal raise(String rule, String key, String summary) {
    return new AlertSignal(rule, key, true, summary, Map.of());
  }

  public static AlertSignal clear(String rule, String key) {
    return new AlertSignal(rule, key, false, "", Map.of());
  }
}
