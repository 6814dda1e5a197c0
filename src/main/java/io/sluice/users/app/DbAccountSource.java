package io.sluice.users.app;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.UserLimits;
import io.sluice.exits.app.PoolService;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.users.domain.ProxyUserEntity;
import io.sluice.users.domain.ProxyUserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Loads proxy accounts from the database and unseals their passwords with the server key. */
@ApplicationScoped
public class DbAccountSource implements AccountSource {

  private static final Logger LOG = System.getLogger(DbAccountSource.class.getName());

  @Inject ProxyUserRepository users;
  @Inject ServerKeys serverKeys;
  @Inject PoolService pools;

  @Override
  @Transactional
  public Optional<ProxyAccount> byUsername(String username) {
    return users.byUsername(username).map(this::account);
  }

  @Override
  @Transactional
  public List<ProxyAccount> withSourceWhitelist() {
    return users.withSourceWhitelist().stream().map(this::account).toList();
  }

  @Override
  @Transactional
  public List<ProxyAccount> enabled() {
    return users.enabled().stream().map(this::account).toList();
  }

  private ProxyAccount account(ProxyUserEntity e) {
    SourceWhitelist sources;
    try {
      sources =
          e.getAllowedSources() == null
              ? SourceWhitelist.EMPTY
              : SourceWhitelist.parse(e.getAllowedSources());
    } catch (IllegalArgumentException bad) {
      LOG.log(
          Level.WARNING,
          "SLUICE0202W: ignoring the invalid source whitelist of proxy user {0}: {1}",
          new Object[] {e.getUsername(), bad.getMessage()});
      sources = SourceWhitelist.EMPTY;
    }
    List<String> destinations =
        e.getAllowedDestinations() == null
            ? List.of()
            : Arrays.stream(e.getAllowedDestinations().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    return new ProxyAccount(
        e.getId(),
        e.getUsername(),
        serverKeys.box().openString(ProxyUserService.SECRET_PURPOSE, e.getSecretEnc()),
        e.isEnabled(),
        e.getExpiresAt(),
        new UserLimits(
            e.getMaxConnections(),
            e.getBandwidthUpBps(),
            e.getBandwidthDownBps(),
            e.getConnectionsPerMinute()),
        sources,
        destinations,
        defaultPool(e.getDefaultPoolId()),
        e.getAllowedPools() == null
            ? java.util.Set.of()
            : java.util.Set.copyOf(
                Arrays.stream(e.getAllowedPools().split(",")).map(String::trim).toList()),
        parseOrEmpty(e.getUsername(), e.getAllowedClients()));
  }

  /**
   * The default pool's name; for a pool deleted with {@code force} a name no pool can have ({@code
   * #12 (deleted)}), so the user's sessions are refused naming it instead of leaving directly.
   */
  private String defaultPool(Long id) {
    return id == null ? null : pools.nameOf(id).orElse("#" + id + " (deleted)");
  }

  private static SourceWhitelist parseOrEmpty(String user, String cidrs) {
    if (cidrs == null || cidrs.isBlank()) {
      return SourceWhitelist.EMPTY;
    }
    try {
      return SourceWhitelist.parse(cidrs);
    } catch (IllegalArgumentException bad) {
      // Fail closed: an unreadable client list admits nobody rather than everybody.
      LOG.log(
          Level.WARNING,
          "SLUICE0203W: proxy user {0} has an invalid client whitelist: {1}",
          new Object[] {user, bad.getMessage()});
      return SourceWhitelist.parse("255.255.255.255/32");
    }
  }
}
