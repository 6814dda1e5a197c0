package io.sluice.alerts.domain;

import java.util.List;
import java.util.Map;

/**
 * A channel with its secrets opened, as senders need it. {@link #toString()} never shows the
 * secrets.
 *
 * @param config the non-secret fields (email: host, port, tls, username, from, to; telegram:
 *     chatId, threadId, apiBaseUrl; webhook: url)
 * @param secrets the write-only fields (email: password; telegram: botToken; webhook: headers)
 */
public record Channel(
    long id,
    String name,
    String type,
    boolean enabled,
    Map<String, Object> config,
    Map<String, String> secrets) {

  public String string(String field) {
    Object v = config.get(field);
    return v == null ? null : v.toString();
  }

  public int integer(String field, int fallback) {
    Object v = config.get(field);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(String field) {
    Object v = config.get(field);
    return v instanceof List<?> l ? (List<String>) l : List.of();
  }

  @Override
  public String toString() {
    return "Channel[" + id + ", " + name + ", " + type + "]";
  }
}
