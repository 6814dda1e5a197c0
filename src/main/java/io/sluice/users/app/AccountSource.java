package io.sluice.users.app;

import java.util.List;
import java.util.Optional;

/** Where the authenticator loads accounts from (the database; a map in unit tests). Blocking. */
public interface AccountSource {

  Optional<ProxyAccount> byUsername(String username);

  /** Every account that has a source whitelist (for authentication by source address). */
  List<ProxyAccount> withSourceWhitelist();

  /** Every enabled account: the authenticator's last-known-good snapshot. */
  List<ProxyAccount> enabled();
}
