package io.sluice.admin.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.admin.domain.ApiKeyRepository.StoredKey;
import io.sluice.platform.problem.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  /**
   * Signs nothing: issued tokens are random strings remembered with their subject, so "verifying" a
   * token is finding it (anything else counts as a forged or foreign token).
   */
  static final class FakeKeyJwt extends JwtService {
    final Map<String, String> issued = new HashMap<>();

    @Override
    public String issueApiKey(String subject, String role, String jti, Instant expiresAt) {
      String token = "eyJ." + UUID.randomUUID() + "." + jti;
      issued.put(token, subject);
      return token;
    }

    @Override
    public Optional<String> verifiedSubject(String token) {
      return Optional.ofNullable(issued.get(token));
    }
  }

  private final InMemoryApiKeyRepository repo = new InMemoryApiKeyRepository();
  private final FakeKeyJwt jwt = new FakeKeyJwt();
  private final ApiKeyService service = new ApiKeyService();

  @BeforeEach
  void setUp() {
    service.keys = repo;
    service.jwt = jwt;
    service.defaultDays = 365;
    at(T0);
  }

  private void at(Instant now) {
    service.clock = Clock.fixed(now, ZoneOffset.UTC);
  }

  @Test
  void createReturnsTheTokenOnceAndStoresOnlyItsHash() {
    ApiKeyService.Created c = service.create("orch-1", "orchestrator", null, "admin");

    assertThat(c.token()).isNotBlank();
    StoredKey stored = repo.rows.get(c.key().id());
    assertThat(stored.tokenHash()).isEqualTo(ApiKeyService.hash(c.token())).hasSize(64);
    assertThat(stored.toString()).doesNotContain(c.token());
    assertThat(c.key().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(365)));
    assertThat(c.key().actor()).isEqualTo("key:orch-1");
    assertThat(c.key().createdBy()).isEqualTo("admin");
    assertThat(c.key().active()).isTrue();
    assertThat(jwt.issued).containsEntry(c.token(), "key:orch-1");
    assertThat(service.list()).singleElement().hasToString(c.key().toString());
    assertThat(service.list().toString()).doesNotContain(c.token());
  }

  @Test
  void aUsableKeyResolvesWithItsRoleAndCachesTheLookup() {
    ApiKeyService.Created c = service.create("orch-1", "orchestrator", null, "admin");

    Optional<ApiKeyService.ActiveKey> k = service.resolve("Bearer " + c.token());

    assertThat(k).contains(new ApiKeyService.ActiveKey(c.key().id(), "orch-1", "orchestrator"));
    assertThat(service.resolve("bearer " + c.token())).isPresent();
    assertThat(service.isActive("Bearer " + c.token(), "key:orch-1")).isTrue();
    assertThat(service.isActive("Bearer " + c.token(), "key:other")).isFalse();
    assertThat(repo.hashLookups).hasValue(1);
    assertThat(repo.rows.get(c.key().id()).lastUsedAt()).isEqualTo(T0);
  }

  @Test
  void revokingRefusesTheNextRequestAtOnceDespiteTheCache() {
    ApiKeyService.Created c = service.create("orch-1", "orchestrator", null, "admin");
    assertThat(service.resolve("Bearer " + c.token())).isPresent();

    ApiKeyService.ApiKeyView revoked = service.revoke(c.key().id(), "admin");

    assertThat(revoked.revokedAt()).isEqualTo(T0);
    assertThat(revoked.active()).isFalse();
    assertThat(service.resolve("Bearer " + c.token())).isEmpty();
    assertThat(service.isActive("Bearer " + c.token(), "key:orch-1")).isFalse();
    // revoking twice is harmless, an unknown id is 404
    assertThat(service.revoke(c.key().id(), "admin").revokedAt()).isEqualTo(T0);
    assertThatThrownBy(() -> service.revoke(999, "admin"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aReadRacingTheRevocationsCommitCannotMakeTheKeyUsableAgainOnThisNode() {
    ApiKeyService.Created c = service.create("orch-1", "orchestrator", null, "admin");
    StoredKey beforeCommit = repo.rows.get(c.key().id());
    service.revoke(c.key().id(), "admin");
    repo.rows.put(beforeCommit.id(), beforeCommit); // what a request saw before the commit

    assertThat(service.resolve(c.token())).isEmpty();
  }

  @Test
  void anExpiredKeyIsRefused() {
    ApiKeyService.Created c =
        service.create("short", "orchestrator", T0.plus(Duration.ofHours(1)), "admin");
    assertThat(service.resolve(c.token())).isPresent();

    at(T0.plus(Duration.ofHours(2)));

    assertThat(service.resolve(c.token())).isEmpty();
    assertThat(service.list())
        .singleElement()
        .extracting(ApiKeyService.ApiKeyView::active)
        .isEqualTo(false);
  }

  @Test
  void unknownForgedAndInteractiveTokensAreNotKeysAndCauseNoLookup() {
    String admin = "eyJ.admin";
    jwt.issued.put(admin, "admin"); // a valid interactive token

    assertThat(service.resolve("Bearer " + admin)).isEmpty();
    assertThat(service.resolve("Bearer forged.key.token")).isEmpty();
    assertThat(service.resolve(null)).isEmpty();
    assertThat(service.resolve("Bearer ")).isEmpty();
    assertThat(repo.hashLookups).hasValue(0);

    jwt.issued.put("eyJ.signed-but-unknown", "key:ghost"); // signed, but never stored
    assertThat(service.resolve("eyJ.signed-but-unknown")).isEmpty();
  }

  @Test
  void theRoleIsLimitedToTheKnownScopedRoles() {
    for (String role : new String[] {"admin", "viewer", "password-change", "root", ""}) {
      assertThatThrownBy(() -> service.create("k-" + role, role, null, "admin"))
          .as(role)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    assertThatThrownBy(() -> service.create("k-null", null, null, "admin"))
        .isInstanceOf(ApiException.class);
    assertThat(repo.rows).isEmpty();
  }

  @Test
  void namesAreValidatedAndUniqueEvenAfterRevocation() {
    ApiKeyService.Created c = service.create("orch-1", "orchestrator", null, "admin");
    service.revoke(c.key().id(), "admin");

    assertThatThrownBy(() -> service.create("orch-1", "orchestrator", null, "admin"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    for (String bad : new String[] {"ab", "has space", "key:x", "x".repeat(65)}) {
      assertThatThrownBy(() -> service.create(bad, "orchestrator", null, "admin"))
          .as(bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }

  @Test
  void expiryMustBeInTheFutureAndWithinFiveYears() {
    assertThatThrownBy(() -> service.create("past", "orchestrator", T0.minusSeconds(1), "admin"))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(
            () -> service.create("far", "orchestrator", T0.plus(Duration.ofDays(6 * 366)), "admin"))
        .isInstanceOf(ApiException.class);
    assertThat(
            service
                .create("near", "orchestrator", T0.plus(Duration.ofDays(30)), "admin")
                .key()
                .expiresAt())
        .isEqualTo(T0.plus(Duration.ofDays(30)));
  }

  @Test
  void subjectsOfKeysAreRecognisedAndAdminNamesAreNot() {
    assertThat(ApiKeyService.isKeySubject("key:orch-1")).isTrue();
    assertThat(ApiKeyService.isKeySubject("admin")).isFalse();
    assertThat(ApiKeyService.isKeySubject(null)).isFalse();
  }
}
