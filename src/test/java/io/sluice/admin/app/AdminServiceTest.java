package io.sluice.admin.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.admin.domain.SecurityEvent;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AdminServiceTest {

  private static final String INITIAL = "initial-Pass-4-tests";
  private static final String IP = "198.51.100.7";

  private final InMemoryAdminRepository admins = new InMemoryAdminRepository();
  private final InMemoryLoginAttempts attempts = new InMemoryLoginAttempts();
  private final TestDoubles.RecordingAudit audit = new TestDoubles.RecordingAudit();
  private final RecordingEvent<SecurityEvent> securityEvents = new RecordingEvent<>();
  private final AdminService service = new AdminService();

  @BeforeEach
  void setUp() {
    RefreshTokens refreshTokens = new RefreshTokens();
    refreshTokens.tokens = new InMemoryRefreshTokenRepository();
    refreshTokens.ttlHours = 168;

    AdminAuthenticator authenticator = new AdminAuthenticator();
    authenticator.admins = admins;
    authenticator.jwt = new TestDoubles.FakeJwt();
    authenticator.metrics = TestDoubles.metrics();
    authenticator.refreshTokens = refreshTokens;

    LoginThrottle throttle = new LoginThrottle();
    throttle.attempts = attempts;
    throttle.metrics = TestDoubles.metrics();
    throttle.maxFailures = 3;
    throttle.lockoutMinutes = 15;

    service.admins = admins;
    service.authenticator = authenticator;
    service.throttle = throttle;
    service.audit = audit;
    service.refreshTokens = refreshTokens;
    service.securityEvents = securityEvents;
    service.initialPassword = Optional.of(INITIAL);
  }

  @Test
  void theFirstStartCreatesOneAdminThatMustChangeItsPassword() {
    service.ensureBootstrapAdmin();
    service.ensureBootstrapAdmin();

    assertThat(service.list())
        .singleElement()
        .satisfies(a -> {
          assertThat(a.username()).isEqualTo("admin");
          assertThat(a.role()).isEqualTo("admin");
          assertThat(a.passwordChangeRequired()).isTrue();
        });
    AdminService.Login login = service.login("admin", INITIAL, null, null, IP);
    assertThat(login.passwordChangeRequired()).isTrue();
    assertThat(login.accessToken()).isEqualTo("jwt:admin:" + JwtService.PASSWORD_CHANGE_GROUP);
    assertThat(login.refreshToken()).isNotBlank();
    assertThat(audit.lines).containsExactly("auth.login success admin:admin");
  }

  @Test
  void withoutAConfiguredPasswordTheFirstAdminGetsAGeneratedOne() {
    service.initialPassword = Optional.of("  ");
    service.ensureBootstrapAdmin();

    assertThat(admins.count()).isEqualTo(1);
    assertThat(status(() -> service.login("admin", "  ", null, null, IP))).isEqualTo(401);
    assertThat(status(() -> service.login("admin", INITIAL, null, null, IP))).isEqualTo(401);
  }

  @Test
  void aWrongPasswordAndAnUnknownNameGetTheSameAnswer() {
    service.ensureBootstrapAdmin();

    ApiException wrong = error(() -> service.login("admin", "not-the-password", null, null, IP));
    ApiException unknown = error(() -> service.login("nobody", INITIAL, null, null, IP));

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.getMessage())
        .isEqualTo(unknown.getMessage())
        .isEqualTo("invalid username or password");
    assertThat(audit.lines)
        .containsExactly("auth.login failure admin:admin", "auth.login failure admin:nobody");
  }

  @Test
  void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
    service.ensureBootstrapAdmin();
    for (String wrong : new String[] {"wrong-1", "wrong-2", "wrong-3"}) {
      assertThat(status(() -> service.login("admin", wrong, null, null, IP))).isEqualTo(401);
    }

    assertThat(securityEvents.fired)
        .extracting(SecurityEvent::kind)
        .containsExactly("auth.failure", "auth.failure", "auth.failure", "auth.lockout");
    assertThat(securityEvents.fired)
        .allSatisfy(e -> assertThat(e.subject()).isEqualTo("admin / " + IP));
    assertThat(audit.lines).contains("auth.lockout success admin:admin / " + IP);
    ApiException locked = error(() -> service.login("admin", INITIAL, null, null, "203.0.113.9"));
    assertThat(locked.status()).isEqualTo(429);
    assertThat(audit.lines).last().isEqualTo("auth.login failure admin:admin");
  }

  @Test
  void aSuccessfulLoginResetsTheFailureCount() {
    service.ensureBootstrapAdmin();
    status(() -> service.login("admin", "wrong-1", null, null, IP));
    status(() -> service.login("admin", "wrong-2", null, null, IP));
    service.login("admin", INITIAL, null, null, IP);
    status(() -> service.login("admin", "wrong-3", null, null, IP));
    status(() -> service.login("admin", "wrong-4", null, null, IP));

    assertThat(securityEvents.fired)
        .extracting(SecurityEvent::kind)
        .as("each failure is an event for the alerts; no lockout")
        .containsExactly("auth.failure", "auth.failure", "auth.failure", "auth.failure");
    assertThat(service.login("admin", INITIAL, null, null, IP).role()).isEqualTo("admin");
  }

  @Test
  void passwordChangesFollowThePolicy() {
    service.ensureBootstrapAdmin();

    assertThat(
            fields(() -> service.changePassword("admin", "wrong-current", "A-new-strong-pass-1")))
        .isEqualTo("currentPassword");
    assertThat(fields(() -> service.changePassword("admin", INITIAL, "short")))
        .isEqualTo("newPassword");
    assertThat(error(() -> service.changePassword("admin", INITIAL, "short")).errors())
        .anySatisfy(e -> assertThat(e.message()).contains("rule: min-length"));
    assertThat(error(() -> service.changePassword("admin", INITIAL, INITIAL)).errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("rule: not-reused"));
    assertThat(status(() -> service.changePassword("nobody", INITIAL, "A-new-strong-pass-1")))
        .isEqualTo(401);

    AdminService.Login changed = service.changePassword("admin", INITIAL, "A-new-strong-pass-1");

    assertThat(changed.passwordChangeRequired()).isFalse();
    assertThat(changed.accessToken()).isEqualTo("jwt:admin:admin");
    assertThat(status(() -> service.login("admin", INITIAL, null, null, IP))).isEqualTo(401);
    assertThat(
            service.login("admin", "A-new-strong-pass-1", null, null, IP).passwordChangeRequired())
        .isFalse();
  }

  @Test
  void aDisabledAdminCannotLogInOrRefreshAndCannotDisableItself() {
    service.ensureBootstrapAdmin();
    AdminService.AdminView viewer = service.create("viewer.one", "Viewer-pass-for-tests", "viewer");
    AdminService.Login before =
        service.login("viewer.one", "Viewer-pass-for-tests", null, null, IP);

    assertThat(status(() -> service.setEnabled(viewer.id(), false, "viewer.one"))).isEqualTo(409);
    AdminService.AdminView disabled = service.setEnabled(viewer.id(), false, "admin");

    assertThat(disabled.enabled()).isFalse();
    assertThat(service.isActive("viewer.one")).isFalse();
    assertThat(service.isActiveCached("viewer.one")).isFalse();
    assertThat(status(() -> service.login("viewer.one", "Viewer-pass-for-tests", null, null, IP)))
        .isEqualTo(401);
    assertThat(status(() -> service.refresh(before.refreshToken()))).isEqualTo(401);
    assertThat(status(() -> service.setEnabled(99, true, "admin"))).isEqualTo(404);

    service.setEnabled(viewer.id(), true, "admin");
    assertThat(service.login("viewer.one", "Viewer-pass-for-tests", null, null, IP).role())
        .isEqualTo("viewer");
  }

  @Test
  void accountCreationValidatesAndRefusesDuplicates() {
    service.ensureBootstrapAdmin();

    ApiException invalid = error(() -> service.create("x", "short", "root"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactlyInAnyOrder("username", "role", "password");
    assertThat(status(() -> service.create("admin", "Another-pass-4-tests", "viewer")))
        .isEqualTo(409);
    assertThat(admins.ids()).containsExactly(1L);
  }

  @Test
  void aRefreshTokenWorksOnceAndItsReuseRevokesTheFamily() {
    service.ensureBootstrapAdmin();
    AdminService.Login login = service.login("admin", INITIAL, null, null, IP);

    AdminService.Login refreshed = service.refresh(login.refreshToken());
    assertThat(refreshed.refreshToken()).isNotEqualTo(login.refreshToken());
    assertThat(refreshed.accessToken()).startsWith("jwt:admin:");

    assertThat(status(() -> service.refresh(login.refreshToken()))).isEqualTo(401);
    assertThat(securityEvents.fired)
        .extracting(SecurityEvent::kind)
        .containsExactly("auth.token-reuse");
    assertThat(status(() -> service.refresh(refreshed.refreshToken())))
        .isEqualTo(401); // whole family revoked
  }

  private static ApiException error(Executable call) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(call::execute)
        .isInstanceOf(ApiException.class)
        .satisfies(t -> caught[0] = t);
    return (ApiException) caught[0];
  }

  private static int status(Executable call) {
    return error(call).status();
  }

  /** The fields of the single field error the call fails with. */
  private static String fields(Executable call) {
    ApiException e = error(call);
    assertThat(e.status()).isEqualTo(400);
    return String.join(
        ",", e.errors().stream().map(ApiException.FieldError::field).distinct().toList());
  }
}
