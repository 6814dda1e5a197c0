package io.sluice.admin.app;

import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;
import io.sluice.admin.domain.RateLimiter;
import io.sluice.admin.domain.RateLimiters;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.platform.db.SluiceStarted;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admin API rate limits: {@code sluice.ratelimit.api-per-minute} (60) per token and per source
 * address, {@code sluice.ratelimit.login-per-minute} (5) logins per source address. Buckets live in
 * PostgreSQL (bucket4j) so the limits hold across nodes; with the embedded database they are in
 * memory. Calls made with an API key count against that key's own bucket only ({@code
 * sluice.api.key-rate-per-minute}, 6,000). Addresses in {@code sluice.ratelimit.exempt} (CIDRs,
 * e.g. trusted automation) are not limited. If the bucket store fails, requests are let through and
 * a warning is logged (the limits protect availability; they must not take the API down with the
 * database).
 */
@ApplicationScoped
public class RateLimits {

  private static final Logger LOG = System.getLogger(RateLimits.class.getName());

  @Inject RateLimiters limiters;

  @Inject
  @ConfigProperty(name = "sluice.ratelimit.enabled", defaultValue = "true")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "sluice.ratelimit.api-per-minute", defaultValue = "60")
  long apiPerMinute;

  @Inject
  @ConfigProperty(name = "sluice.api.key-rate-per-minute", defaultValue = "6000")
  long keyPerMinute;

  @Inject
  @ConfigProperty(name = "sluice.ratelimit.login-per-minute", defaultValue = "5")
  long loginPerMinute;

  @Inject
  @ConfigProperty(name = "sluice.ratelimit.exempt", defaultValue = " ")
  String exempt;

  @Resource jakarta.enterprise.concurrent.ManagedScheduledExecutorService scheduler;

  private volatile RateLimiter limiter;
  private volatile SourceWhitelist exemptList = SourceWhitelist.EMPTY;

  @PostConstruct
  void init() {
    limiter = limiters.inMemory();
  }

  void onStart(@Observes SluiceStarted started) {
    if (!started.embeddedDatabase()) {
      limiter = limiters.shared();
      scheduler.scheduleWithFixedDelay(
          this::cleanUpQuietly, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    }
    exemptList = exempt.isBlank() ? SourceWhitelist.EMPTY : SourceWhitelist.parse(exempt.trim());
  }

  /** Checks a login attempt from {@code ip}; returns the seconds to wait, or 0 when allowed. */
  public long login(String ip) {
    return consume(ip, "ip:" + ip + ":login", loginPerMinute);
  }

  /** Checks an API call; {@code tokenKey} identifies the bearer token (a hash), may be null. */
  public long api(String ip, String tokenKey) {
    long wait = consume(ip, "ip:" + ip + ":api", apiPerMinute);
    if (wait == 0 && tokenKey != null) {
      wait = consume(ip, "token:" + tokenKey + ":api", apiPerMinute);
    }
    return wait;
  }

  /**
   * Checks a call made with the API key {@code keyId}: only the key's own bucket ({@code
   * sluice.api.key-rate-per-minute}, 6,000) applies, not the per-address and per-token limits of
   * interactive tokens.
   */
  public long apiKey(String ip, long keyId) {
    return consume(ip, "apikey:" + keyId + ":api", keyPerMinute);
  }

  /** Removes expired PostgreSQL buckets (called periodically). */
  public void cleanUp() {
    RateLimiter l = limiter;
    while (l.removeExpired(1000) == 1000) {
      // keep going until a partial batch
    }
  }

  private void cleanUpQuietly() {
    try {
      cleanUp();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "rate limit clean-up failed: {0}", e.getMessage());
    }
  }

  private long consume(String ip, String key, long perMinute) {
    if (!enabled || perMinute <= 0 || exempt(ip)) {
      return 0;
    }
    try {
      Decision d = limiter.tryConsume(key, Limit.perMinute(perMinute));
      return d instanceof Decision.Denied denied ? denied.retryAfterSeconds() : 0;
    } catch (RuntimeException storeDown) {
      LOG.log(
          Level.WARNING,
          "SLUICE0050W: rate limit store failed, request let through: {0}",
          storeDown.getMessage());
      return 0;
    }
  }

  private boolean exempt(String ip) {
    if (exemptList.isEmpty() || ip == null) {
      return false;
    }
    try {
      return exemptList.matches(
          InetAddress.getByName(ip)); // an IP literal from the container: no DNS
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
