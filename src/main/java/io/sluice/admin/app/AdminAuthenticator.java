package io.sluice.admin.app;

import io.sluice.admin.domain.AdminAccountEntity;
import io.sluice.admin.domain.AdminRepository;
import io.sluice.platform.crypto.PasswordHasher;
import io.sluice.platform.crypto.Secrets;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The transactional steps of an admin login and a token refresh: checks the password and the second
 * factor and issues the tokens. A bean of its own so that {@link AdminService} can run its
 * throttling and auditing around them outside their transaction.
 */
@ApplicationScoped
public class AdminAuthenticator {

  // The messages have always been logged under the service's name.
  private static final Logger LOG = System.getLogger(AdminService.class.getName());
  static final String TOTP_PURPOSE = "admin-totp-secret";

  @Inject AdminRepository admins;
  @Inject JwtService jwt;
  @Inject MetricRegistry metrics;
  @Inject RefreshTokens refreshTokens;
  @Inject ServerKeys keys;

  private final PasswordHasher hasher = new PasswordHasher();
  // Verified against when the username is unknown, so timing does not reveal which names exist.
  private final String dummyHash = hasher.hash(Secrets.random(24));

  /**
   * Checks the credentials; 401 for a wrong name, password or second factor or a disabled account.
   */
  @Transactional
  public AdminService.Login login(
      String username, String password, String totp, String recoveryCode) {
    Optional<AdminAccountEntity> found =
        username == null ? Optional.empty() : admins.byUsername(username);
    boolean ok =
        hasher.verify(password, found.map(AdminAccountEntity::getPasswordHash).orElse(dummyHash));
    if (found.isEmpty() || !ok || !found.get().isEnabled()) {
      metrics.counter("sluice_admin_logins", new Tag("result", "failure")).inc();
      LOG.log(Level.INFO, "SLUICE0022I: admin login failed for user {0}", safe(username));
      throw ApiException.unauthorized("invalid username or password");
    }
    AdminAccountEntity admin = found.get();
    if (admin.isTotpEnabled()) {
      if (totp == null && recoveryCode == null) {
        // Said only after the password was right, so it reveals nothing to a guesser.
        throw new ApiException(
            401,
            "totp-required",
            "Two-factor code required",
            "this account needs a TOTP code ('totp') or a recovery code ('recoveryCode')",
            null);
      }
      boolean second =
          totp != null
              ? Totp.verify(keys.box().openString(TOTP_PURPOSE, admin.getTotpSecretEnc()), totp)
              : admins.useRecoveryCode(admin.getId(), Totp.hash(recoveryCode));
      if (!second) {
        metrics.counter("sluice_admin_logins", new Tag("result", "failure")).inc();
        LOG.log(
            Level.INFO,
            "SLUICE0024I: admin login failed for user {0}: wrong second factor",
            safe(username));
        throw ApiException.unauthorized("invalid username or password");
      }
    }
    admin.setLastLoginAt(Instant.now());
    metrics.counter("sluice_admin_logins", new Tag("result", "success")).inc();
    return tokenFor(admin);
  }

  /** A new access token for an enabled account, with the refresh token already issued. */
  @Transactional
  public AdminService.Login accessFor(String username, String newRefresh) {
    AdminAccountEntity admin =
        admins
            .byUsername(username)
            .filter(AdminAccountEntity::isEnabled)
            .orElseThrow(() -> ApiException.unauthorized("account not found or disabled"));
    JwtService.Issued issued = jwt.issue(admin.getUsername(), groups(admin));
    return new AdminService.Login(
        issued.token(),
        issued.expiresIn(),
        admin.isPasswordChangeRequired(),
        admin.getRole(),
        newRefresh,
        refreshTokens.ttlSeconds());
  }

  /**
   * An access token and a new refresh token family for the account (within the caller's
   * transaction).
   */
  public AdminService.Login tokenFor(AdminAccountEntity admin) {
    JwtService.Issued issued = jwt.issue(admin.getUsername(), groups(admin));
    return new AdminService.Login(
        issued.token(),
        issued.expiresIn(),
        admin.isPasswordChangeRequired(),
        admin.getRole(),
        refreshTokens.issue(admin.getUsername()),
        refreshTokens.ttlSeconds());
  }

  private static List<String> groups(AdminAccountEntity admin) {
    return admin.isPasswordChangeRequired()
        ? List.of(JwtService.PASSWORD_CHANGE_GROUP)
        : List.of(admin.getRole());
  }

  static String safe(String s) {
    if (s == null) {
      return "(none)";
    }
    String cut = s.length() > 64 ? s.substring(0, 64) : s;
    return cut.replaceAll("[^A-Za-z0-9._@-]", "?");
  }
}
