package io.sluice.users.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import io.sluice.users.domain.ProxyUser;
import io.sluice.users.domain.ProxyUserChanged;
import io.sluice.users.domain.ProxyUserChanged.Kind;
import io.sluice.users.domain.ProxyUserDeleting;
import io.sluice.users.domain.ProxyUserEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ProxyUserService} against an in-memory repository, pools and event. */
class ProxyUserServiceTest {

  private final InMemoryProxyUserRepository repo = new InMemoryProxyUserRepository();
  private final InMemoryPools pools = new InMemoryPools().with(7, "eu").with(8, "us");
  private final RecordingEvent<ProxyUserChanged> events = new RecordingEvent<>();
  private final TestKeys keys = new TestKeys();
  private final RecordingEvent<ProxyUserDeleting> deleting = new RecordingEvent<>();
  private ProxyUserService service;

  @BeforeEach
  void setUp() {
    service = new ProxyUserService();
    service.users = repo;
    service.pools = pools;
    service.changes = events;
    service.deleting = deleting;
    service.serverKeys = keys;
  }

  @Test
  void createStoresTheSealedPasswordAndFiresCreated() {
    ProxyUserService.WithPassword created =
        service.create(
            spec()
                .set("username", "alice")
                .set("maxConnections", 5)
                .set("defaultPool", "eu")
                .set("allowedPools", List.of("us"))
                .build());

    assertThat(created.password()).hasSize(24);
    ProxyUser u = created.user();
    assertThat(u.id()).isPositive();
    assertThat(u.username()).isEqualTo("alice");
    assertThat(u.enabled()).isTrue();
    assertThat(u.maxConnections()).isEqualTo(5);
    assertThat(u.defaultPool()).isEqualTo("eu");
    assertThat(u.allowedPools()).containsExactly("us");
    assertThat(u.createdAt()).isNotNull();

    ProxyUserEntity stored = repo.rows.get(u.id());
    assertThat(stored.getDefaultPoolId()).isEqualTo(7L);
    assertThat(stored.getSecretEnc()).isNotEqualTo(created.password());
    assertThat(keys.box().openString(ProxyUserService.SECRET_PURPOSE, stored.getSecretEnc()))
        .isEqualTo(created.password());
    assertThat(events.fired)
        .containsExactly(new ProxyUserChanged(u.id(), "alice", Kind.CREATED, false));
  }

  @Test
  void createWithoutUsernameIsAValidationError() {
    assertThatThrownBy(() -> service.create(spec().set("note", "x").build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors())
                  .extracting(ApiException.FieldError::field)
                  .containsExactly("username");
            });
    assertThat(repo.rows).isEmpty();
    assertThat(events.fired).isEmpty();
  }

  @Test
  void createCollectsEveryFieldError() {
    assertThatThrownBy(() ->
            service.create(
                spec()
                    .set("username", "bad-name")
                    .set("maxConnections", -1)
                    .set("allowedSources", List.of("not-a-cidr"))
                    .set("note", "n".repeat(501))
                    .build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::field)
                    .containsExactlyInAnyOrder(
                        "username", "maxConnections", "allowedSources", "note"));
    assertThat(repo.rows).isEmpty();
  }

  @Test
  void createWithAnUnknownPoolIsAValidationError() {
    assertThatThrownBy(
            () -> service.create(spec().set("username", "bob").set("defaultPool", "asia").build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors())
                  .containsExactly(
                      new ApiException.FieldError("defaultPool", "no pool named 'asia'"));
            });
    assertThatThrownBy(() ->
            service.create(
                spec().set("username", "bob").set("allowedPools", List.of("eu", "asia")).build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ApiException.FieldError("allowedPools", "no pool named 'asia'")));
    assertThat(events.fired).isEmpty();
  }

  @Test
  void aDuplicateUsernameIsAConflict() {
    service.create(spec().set("username", "alice").build());

    assertThatThrownBy(() -> service.create(spec().set("username", "alice").build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).contains("alice");
            });
    assertThat(repo.rows).hasSize(1);
    assertThat(events.fired).hasSize(1);
  }

  @Test
  void updateChangesOnlyTheFieldsSentAndFiresUpdated() {
    long id =
        service
            .create(
                spec().set("username", "alice").set("note", "old").set("maxConnections", 3).build())
            .user()
            .id();
    events.fired.clear();

    ProxyUser u = service.update(id, spec().set("note", "new").set("defaultPool", "us").build());

    assertThat(u.note()).isEqualTo("new");
    assertThat(u.maxConnections()).isEqualTo(3);
    assertThat(u.defaultPool()).isEqualTo("us");
    assertThat(service.get(id).note()).isEqualTo("new");
    assertThat(events.fired)
        .containsExactly(new ProxyUserChanged(id, "alice", Kind.UPDATED, false));
  }

  @Test
  void updateThatCutsAccessSaysSo() {
    long id = service.create(spec().set("username", "alice").build()).user().id();
    events.fired.clear();

    service.update(id, spec().set("allowedSources", List.of("10.0.0.0/8")).build());
    service.update(id, spec().set("expiresAt", Instant.now().minus(Duration.ofMinutes(1))).build());
    service.update(id, spec().set("enabled", false).build());
    service.update(id, spec().set("enabled", true).build());

    assertThat(events.fired)
        .containsExactly(
            new ProxyUserChanged(id, "alice", Kind.UPDATED, true),
            new ProxyUserChanged(id, "alice", Kind.UPDATED, true),
            new ProxyUserChanged(id, "alice", Kind.DISABLED, true),
            // still expired, so live sessions must go as well
            new ProxyUserChanged(id, "alice", Kind.ENABLED, true));
  }

  @Test
  void updateCannotRenameAndReportsUnknownUsers() {
    long id = service.create(spec().set("username", "alice").build()).user().id();

    assertThatThrownBy(() -> service.update(id, spec().set("username", "alicia").build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::field)
                    .containsExactly("username"));
    assertThatThrownBy(() -> service.update(99, spec().set("note", "x").build()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(repo.rows.get(id).getUsername()).isEqualTo("alice");
  }

  @Test
  void disableAndEnable() {
    long id = service.create(spec().set("username", "alice").build()).user().id();
    events.fired.clear();

    assertThat(service.setEnabled(id, false).enabled()).isFalse();
    assertThat(repo.rows.get(id).isEnabled()).isFalse();
    assertThat(service.setEnabled(id, true).enabled()).isTrue();

    assertThat(events.fired)
        .containsExactly(
            new ProxyUserChanged(id, "alice", Kind.DISABLED, true),
            new ProxyUserChanged(id, "alice", Kind.ENABLED, false));
    assertThatThrownBy(() -> service.setEnabled(99, false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void deleteRemovesTheUserAndFiresDeleted() {
    long id = service.create(spec().set("username", "alice").build()).user().id();
    events.fired.clear();

    service.delete(id);

    assertThat(repo.rows).isEmpty();
    assertThat(deleting.fired).containsExactly(new ProxyUserDeleting(id, "alice"));
    assertThat(events.fired).containsExactly(new ProxyUserChanged(id, "alice", Kind.DELETED, true));
    assertThatThrownBy(() -> service.get(id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> service.delete(id))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void rotatingThePasswordReplacesItAndCutsSessions() {
    ProxyUserService.WithPassword created = service.create(spec().set("username", "alice").build());
    long id = created.user().id();
    events.fired.clear();

    ProxyUserService.WithPassword rotated = service.rotatePassword(id);

    assertThat(rotated.password()).hasSize(24).isNotEqualTo(created.password());
    assertThat(service.credentials(id).password()).isEqualTo(rotated.password());
    assertThat(events.fired)
        .containsExactly(new ProxyUserChanged(id, "alice", Kind.PASSWORD_ROTATED, true));
  }

  @Test
  void listPagesByIdAndFiltersByUsername() {
    for (String name : List.of("alice", "bob", "Alina", "carol")) {
      service.create(spec().set("username", name).build());
    }

    Page<ProxyUser> all = service.list(null, 1, 3);
    assertThat(all.items()).extracting(ProxyUser::username).containsExactly("carol");
    assertThat(all.total()).isEqualTo(4);
    Page<ProxyUser> filtered = service.list("ALI", 0, 10);
    assertThat(filtered.items()).extracting(ProxyUser::username).containsExactly("alice", "Alina");
    assertThat(filtered.total()).isEqualTo(2);

    assertThatThrownBy(() -> service.list(null, -1, 10))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("page"));
    assertThatThrownBy(() -> service.list(null, 0, 501))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("size"));
  }

  @Test
  void usableLoginsSkipDisabledAndExpiredUsers() {
    ProxyUserService.WithPassword alice = service.create(spec().set("username", "alice").build());
    long bob = service.create(spec().set("username", "bob").build()).user().id();
    service.create(
        spec().set("username", "carol").set("expiresAt", Instant.now().minusSeconds(5)).build());
    ProxyUserService.WithPassword dave =
        service.create(
            spec()
                .set("username", "dave")
                .set("expiresAt", Instant.now().plusSeconds(3600))
                .build());
    service.setEnabled(bob, false);

    assertThat(service.usableLogins())
        .containsExactly(
            new ProxyUserService.Login(alice.user().id(), "alice", alice.password()),
            new ProxyUserService.Login(dave.user().id(), "dave", dave.password()));
    assertThat(service.counts()).isEqualTo(new ProxyUserService.Counts(4, 2));
  }

  private static Spec spec() {
    return new Spec();
  }

  /** Builds a {@link ProxyUserSpec} from the fields a request would have sent. */
  private static final class Spec {
    private final Map<String, Object> fields = new HashMap<>();

    Spec set(String field, Object value) {
      fields.put(field, value);
      return this;
    }

    @SuppressWarnings("unchecked")
    ProxyUserSpec build() {
      return new ProxyUserSpec(
          Set.copyOf(fields.keySet()),
          (String) fields.get("username"),
          (Boolean) fields.get("enabled"),
          (Instant) fields.get("expiresAt"),
          (Integer) fields.get("maxConnections"),
          (Long) fields.get("bandwidthUpBps"),
          (Long) fields.get("bandwidthDownBps"),
          (Integer) fields.get("connectionsPerMinute"),
          (List<String>) fields.get("allowedSources"),
          (List<String>) fields.get("allowedDestinations"),
          (String) fields.get("note"),
          (String) fields.get("defaultPool"),
          (List<String>) fields.get("allowedPools"),
          (List<String>) fields.get("allowedClients"));
    }
  }
}
