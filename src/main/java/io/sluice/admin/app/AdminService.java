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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Admin accounts: the first-start account, login, password change, and account management. */
@ApplicationScoped
public class AdminService {

  private static final Logger LOG = System.getLogger(AdminService.class.getName());
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
  public static final String BOOTSTRAP_ADMIN = "admin";

  @Inject AdminRepository admins;
  @Inject AdminAuthenticator authenticator;
  @Inject LoginThrottle throttle;
  @Inject io.sluice.audit.app.AuditService audit;
  @Inject RefreshTokens refreshTokens;
  @Inject jakarta.enterprise.event.Event<io.sluice.admin.domain.SecurityEvent> securityEvents;
  @Inject ServerKeys keys;
  private static final String TOTP_PURPOSE = AdminAuthenticator.TOTP_PURPOSE;

  @Inject
  @ConfigProperty(name = "sluice.admin.password")
  Optional<String> initialPassword;

  private final PasswordHasher hasher = new PasswordHasher();

  /** Outcome of a successful login. */
  public record Login(
      String accessToken,
      long expiresIn,
      boolean passwordChangeRequired,
      String role,
      String refreshToken,
      long refreshExpiresIn) {}

  /** Read model of an admin account (never the hash). */
  public record AdminView(
      long id,
      String username,
      String role,
      boolean enabled,
      boolean passwordChangeRequired,
      Instant createdAt,
      Instant lastLoginAt) {}

  /** Creates {@code admin} on first start, when the table is empty. */
  @Transactional
  public void ensureBootstrapAdmin() {
    if (admins.count() > 0) {
      return;
    }
    boolean generated = initialPassword.filter(p -> !p.isBlank()).isEmpty();
    String password = generated ? Secrets.random(20) : initialPassword.get();
    AdminAccountEntity admin = newAccount(BOOTSTRAP_ADMIN, password, "admin");
    admins.insert(admin);
    if (generated) {
      LOG.log(
          Level.WARNING,
          "SLUICE0020W: created the first admin account ''admin'' with the generated password: {0} "
              + "(shown once; it must be changed at first login)",
          password);
    } else {
      LOG.log(
          Level.INFO,
          "SLUICE0021I: created the first admin account 'admin' with the password from SLUICE_ADMIN_PASSWORD "
              + "(it must be changed at first login)");
    }
  }

  /** Login with brute-force protection: locked names and addresses get 429 before any check. */
  public Login login(
      String username, String password, String totp, String recoveryCode, String sourceIp) {
    try {
      throttle.checkNotLocked(username, sourceIp);
    } catch (ApiException locked) {
      audit.recordQuietly(username, "auth.login", "admin:" + username, "failure", "locked");
      throw locked;
    }
    try {
      Login ok = authenticator.login(username, password, totp, recoveryCode);
      throttle.succeeded(username, sourceIp);
      audit.recordQuietly(
          username,
          "auth.login",
          "admin:" + username,
          "success",
          recoveryCode != null ? "with a recovery code" : null);
      return ok;
    } catch (ApiException e) {
      if (e.status() == 401 && !"totp-required".equals(e.type())) {
        audit.recordQuietly(username, "auth.login", "admin:" + username, "failure", e.getMessage());
        securityEvents.fire(
            new io.sluice.admin.domain.SecurityEvent(
                "auth.failure", username + " / " + sourceIp, "admin login failed", Instant.now()));
        if (throttle.failed(username, sourceIp)) {
          audit.recordQuietly(
              username,
              "auth.lockout",
              "admin:" + username + " / " + sourceIp,
              "success",
              "login locked after repeated failures");
          securityEvents.fire(
              new io.sluice.admin.domain.SecurityEvent(
                  "auth.lockout",
                  username + " / " + sourceIp,
                  "login locked after repeated failures",
                  Instant.now()));
        }
      }
      throw e;
    }
  }

  /** A new TOTP secret for the caller, pending until confirmed with a valid code. */
  public record Enrolment(String secret, String otpauthUri, String qrPng) {}

  @Transactional
  public Enrolment enrollTotp(String username) {
    AdminAccountEntity a = active(username);
    String secret = Totp.newSecret();
    a.setTotpPendingEnc(keys.box().sealString(TOTP_PURPOSE, secret));
    a.setUpdatedAt(Instant.now());
    return new Enrolment(secret, Totp.uri(secret, username), Totp.qrPng(secret, username));
  }

  /** Turns TOTP on with a valid code of the pending secret; returns 10 one-time recovery codes. */
  @Transactional
  public List<String> confirmTotp(String username, String code) {
    AdminAccountEntity a = active(username);
    if (a.getTotpPendingEnc() == null) {
      throw ApiException.conflict(
          "no TOTP enrolment is pending; call POST /api/v1/auth/totp/enroll first");
    }
    String secret = keys.box().openString(TOTP_PURPOSE, a.getTotpPendingEnc());
    if (!Totp.verify(secret, code)) {
      throw ApiException.validation("code", "is not a valid code for the enrolled secret");
    }
    a.setTotpSecretEnc(a.getTotpPendingEnc());
    a.setTotpPendingEnc(null);
    a.setTotpEnabled(true);
    a.setUpdatedAt(Instant.now());
    List<String> codes = List.of(Totp.recoveryCodes());
    admins.replaceRecoveryCodes(a.getId(), codes.stream().map(Totp::hash).toList());
    LOG.log(Level.INFO, "SLUICE0031I: admin {0} turned on two-factor login", username);
    return codes;
  }

  private AdminAccountEntity active(String username) {
    return admins
        .byUsername(username)
        .filter(AdminAccountEntity::isEnabled)
        .orElseThrow(() -> ApiException.unauthorized("account not found or disabled"));
  }

  @Transactional
  public Login changePassword(String username, String currentPassword, String newPassword) {
    AdminAccountEntity admin =
        admins
            .byUsername(username)
            .filter(AdminAccountEntity::isEnabled)
            .orElseThrow(() -> ApiException.unauthorized("account not found or disabled"));
    if (!hasher.verify(currentPassword, admin.getPasswordHash())) {
      throw ApiException.validation("currentPassword", "does not match the current password");
    }
    List<ApiException.FieldError> errors =
        PasswordPolicy.check("newPassword", username, newPassword);
    if (errors.isEmpty() && hasher.verify(newPassword, admin.getPasswordHash())) {
      errors.add(
          new ApiException.FieldError(
              "newPassword", "must differ from the current password (rule: not-reused)"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    admin.setPasswordHash(hasher.hash(newPassword));
    admin.setPasswordChangeRequired(false);
    admin.setUpdatedAt(Instant.now());
    LOG.log(Level.INFO, "SLUICE0023I: admin {0} changed their password", username);
    return authenticator.tokenFor(admin);
  }

  @Transactional
  public List<AdminView> list() {
    return admins.all().stream().map(AdminService::view).toList();
  }

  @Transactional
  public AdminView create(String username, String password, String role) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (username == null || !USERNAME.matcher(username).matches()) {
      errors.add(
          new ApiException.FieldError(
              "username", "must be 3-64 characters of letters, digits, . _ @ -"));
    }
    if (role == null || !(role.equals("admin") || role.equals("viewer"))) {
      errors.add(new ApiException.FieldError("role", "must be one of: admin, viewer"));
    }
    errors.addAll(PasswordPolicy.check("password", username, password));
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (admins.byUsername(username).isPresent()) {
      throw ApiException.conflict("an admin named '" + username + "' already exists");
    }
    AdminAccountEntity admin = admins.insert(newAccount(username, password, role));
    return view(admin);
  }

  @Transactional
  public AdminView setEnabled(long id, boolean enabled, String actor) {
    AdminAccountEntity admin =
        admins.byId(id).orElseThrow(() -> ApiException.notFound("admin " + id));
    if (!enabled && admin.getUsername().equals(actor)) {
      throw ApiException.conflict("you cannot disable your own account");
    }
    admin.setEnabled(enabled);
    admin.setUpdatedAt(Instant.now());
    activeCache.remove(admin.getUsername());
    if (!enabled) {
      refreshTokens.revokeUser(admin.getUsername());
    }
    return view(admin);
  }

  @Transactional
  public boolean isActive(String username) {
    return admins.byUsername(username).map(AdminAccountEntity::isEnabled).orElse(false);
  }

  private record Active(boolean active, long checkedAtNanos) {}

  private final java.util.Map<String, Active> activeCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** {@link #isActive} behind a 2-second cache; changes made on this node apply at once. */
  public boolean isActiveCached(String username) {
    Active a = activeCache.get(username);
    long now = System.nanoTime();
    if (a != null && now - a.checkedAtNanos() < 2_000_000_000L) {
      return a.active();
    }
    boolean active = isActive(username);
    if (activeCache.size() > 10_000) {
      activeCache.clear();
    }
    activeCache.put(username, new Active(active, now));
    return active;
  }

  /** A new access token and the next refresh token; reuse of a spent token revokes its family. */
  public Login refresh(String refreshToken) {
    RefreshTokens.Rotation r = refreshTokens.rotate(refreshToken);
    if (r.reuseDetected()) {
      audit.recordQuietly(
          r.username(),
          "auth.token-reuse",
          "admin:" + r.username(),
          "failure",
          "a spent refresh token was presented again; its whole family is revoked");
      LOG.log(
          Level.WARNING,
          "SLUICE0032W: refresh token reuse for admin {0}: token family revoked",
          r.username());
      securityEvents.fire(
          new io.sluice.admin.domain.SecurityEvent(
              "auth.token-reuse",
              r.username(),
              "a spent refresh token was presented again",
              Instant.now()));
      throw ApiException.unauthorized("invalid refresh token");
    }
    return authenticator.accessFor(r.username(), r.newToken());
  }

  private AdminAccountEntity newAccount(String username, String password, String role) {
    Instant now = Instant.now();
    AdminAccountEntity a = new AdminAccountEntity();
    a.setUsername(username);
    a.setPasswordHash(hasher.hash(password));
    a.setRole(role);
    a.setEnabled(true);
    a.setPasswordChangeRequired(true);
    a.setCreatedAt(now);
    a.setUpdatedAt(now);
    return a;
  }

  private static AdminView view(AdminAccountEntity a) {
    return new AdminView(
        a.getId(),
        a.getUsername(),
        a.getRole(),
        a.isEnabled(),
        a.isPasswordChangeRequired(),
        a.getCreatedAt(),
        a.getLastLoginAt());
  }
}
