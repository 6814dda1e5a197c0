package io.sluice.platform.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Get-or-create of values shared by every node (server key check, JWT key pair). Safe when several
 * nodes start at once: the primary key decides which node's value wins, and the losers read and use
 * the winner's.
 */
@ApplicationScoped
public class SharedKeys {

  @Inject ServerKeyRepository keys;

  public String getOrCreate(String name, Supplier<String> create) {
    Optional<String> existing = keys.find(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    String value = create.get();
    try {
      keys.insert(name, value);
      return value;
    } catch (RuntimeException lostRace) {
      return keys.find(name).orElseThrow(() -> lostRace);
    }
  }
}
