package io.sluice.engine.support;

import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A test authenticator: users with passwords and limits; source auth switchable. */
public final class TestAuth implements Authenticator {

  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, Long> ids = new ConcurrentHashMap<>();
  private final Map<String, UserLimits> limits = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(100);
  public volatile boolean acceptSource;
  public final AtomicLong passwordCalls = new AtomicLong();

  public TestAuth user(String name, String password) {
    return user(name, password, UserLimits.UNLIMITED);
  }

  public TestAuth user(String name, String password, UserLimits l) {
    passwords.put(name, password);
    ids.computeIfAbsent(name, n -> nextId.incrementAndGet());
    limits.put(name, l);
    return this;
  }

  public long id(String name) {
    return ids.get(name);
  }

  public ProxyPrincipal principal(String name) {
    return new ProxyPrincipal(ids.get(name), name, limits.get(name), List.of(), null);
  }

  @Override
  public CompletionStage<AuthResult> authenticate(
      ConnectionInfo c, String username, String password) {
    passwordCalls.incrementAndGet();
    String expected = passwords.get(username);
    if (expected != null && expected.equals(password)) {
      // complete off the caller's thread, as a real (database-backed) authenticator would
      return CompletableFuture.supplyAsync(() -> AuthResult.accepted(principal(username)));
    }
    return CompletableFuture.completedFuture(AuthResult.rejected("bad-credentials"));
  }

  @Override
  public CompletionStage<AuthResult> authenticateBySource(ConnectionInfo c) {
    return CompletableFuture.completedFuture(
        acceptSource
            ? AuthResult.accepted(ProxyPrincipal.anonymous())
            : AuthResult.rejected("source-not-whitelisted"));
  }
}
