package io.sluice.engine.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed per-user allow lists keyed by list content. {@code ProxyPrincipal} holds an immutable copy
 * of its list, so the key cannot change under us; the lookup hashes the list (String hash codes are
 * cached) and, for the common case of the same principal instance, {@code equals} short-circuits on
 * identity. Bounded: cleared when it grows past {@link #MAX_ENTRIES}.
 */
final class PrincipalListCache {

  static final int MAX_ENTRIES = 4096;
  private static final System.Logger LOG = System.getLogger(PrincipalListCache.class.getName());

  private final ConcurrentHashMap<List<String>, CidrPortList> cache = new ConcurrentHashMap<>();

  CidrPortList get(List<String> entries) {
    CidrPortList parsed = cache.get(entries);
    if (parsed != null) {
      return parsed;
    }
    parsed = parseLenient(entries);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    CidrPortList prev = cache.putIfAbsent(List.copyOf(entries), parsed);
    return prev != null ? prev : parsed;
  }

  int size() {
    return cache.size();
  }

  /** Parses what it can; bad entries are skipped (fail closed: they are allow entries). */
  static CidrPortList parseLenient(List<String> entries) {
    List<CidrPortRule> rules = new ArrayList<>();
    for (String element : entries) {
      if (element == null) {
        continue;
      }
      for (String entry : element.split(",", -1)) {
        if (entry.isBlank()) {
          continue;
        }
        try {
          rules.add(CidrPortRule.parse(entry));
        } catch (IllegalArgumentException e) {
          LOG.log(System.Logger.Level.WARNING, "ignoring per-user allow entry: " + e.getMessage());
        }
      }
    }
    return CidrPortList.of(rules);
  }
}
