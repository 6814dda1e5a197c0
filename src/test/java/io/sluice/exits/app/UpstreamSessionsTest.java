package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.Routing;
import io.sluice.engine.spi.UserLimits;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.UpstreamUsernameTemplate;
import io.sluice.platform.crypto.SecretBox;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSessionsTest {

  static final UpstreamUsernameTemplate TEMPLATE =
      UpstreamUsernameTemplate.parse("acct42-session-{session}-country-{country}");

  static ProxyPrincipal alice(String session, String country) {
    return new ProxyPrincipal(
        5L, "alice", UserLimits.UNLIMITED, List.of(), new Routing("p", country, session, null));
  }

  @Test
  void aSocksRouteGetsTheRenderedUsernameAndKeepsItsPassword() {
    var base = new ExitRoute.Socks5Upstream("up-1", "127.0.0.1", 1080, "acct42", "secret");
    var route =
        (ExitRoute.Socks5Upstream) UpstreamSessions.route(base, TEMPLATE, alice("abc", "de"));
    assertThat(route.username()).isEqualTo("acct42-session-abc-country-de");
    assertThat(route.password()).isEqualTo("secret");
    assertThat(route.id()).isEqualTo("up-1");
    assertThat(route.toString()).doesNotContain("secret");

    var plain =
        (ExitRoute.Socks5Upstream) UpstreamSessions.route(base, TEMPLATE, alice(null, "de"));
    assertThat(plain.username()).isEqualTo("acct42-country-de");
  }

  @Test
  void anHttpRouteToo_andTtlAndUserFillTheirPlaceholders() {
    var base = new ExitRoute.HttpUpstream("up-2", "127.0.0.1", 3128, null, null);
    var t = UpstreamUsernameTemplate.parse("u-{user}-sessid-{session}-sesstime-{ttl}");
    var p =
        new ProxyPrincipal(
            5L,
            "alice",
            UserLimits.UNLIMITED,
            List.of(),
            new Routing(null, null, "s1", Duration.ofMinutes(10)));
    var route = (ExitRoute.HttpUpstream) UpstreamSessions.route(base, t, p);
    assertThat(route.username()).isEqualTo("u-alice-sessid-s1-sesstime-10");
    assertThat(route.password()).isNull();
  }

  @Test
  void withoutATemplateTheStaticRouteIsUsedAsItIs() {
    var base = new ExitRoute.Socks5Upstream("up-1", "127.0.0.1", 1080, "acct42", "secret");
    assertThat(UpstreamSessions.route(base, null, alice("abc", "de"))).isSameAs(base);
  }

  @Test
  void anUnusableRenderingRefusesTheConnection() {
    var base = new ExitRoute.Socks5Upstream("up-1", "127.0.0.1", 1080, "acct42", "secret");
    var empty = UpstreamUsernameTemplate.parse("{session}");
    assertThat(UpstreamSessions.route(base, empty, alice(null, null))).isNull();
  }

  @Test
  void theSnapshotRendersPerConnection() {
    var base = new ExitRoute.Socks5Upstream("up-1", "127.0.0.1", 1080, "acct42", "secret");
    var snapshot =
        new ExitSnapshot(Map.of(1L, base), Map.of(), Map.of(), Map.of(), Map.of(1L, TEMPLATE));
    var route = (ExitRoute.Socks5Upstream) snapshot.routeFor(1L, alice("abc", "de"));
    assertThat(route.username()).isEqualTo("acct42-session-abc-country-de");
    assertThat(snapshot.routeFor(2L, alice("abc", "de"))).isNull();
  }

  @Test
  void theStaticRouteAndChecksUseTheRenderingWithoutSession() {
    assertThat(
            UpstreamSessions.baseUsername(
                "x", "acct42", "acct42-session-{session}-country-{country}", "de"))
        .isEqualTo("acct42-country-de");
    assertThat(UpstreamSessions.baseUsername("x", "acct42", null, "de")).isEqualTo("acct42");
  }

  // --- create/patch validation ---

  private final SecretBox box = new SecretBox(SecretBox.newKey());

  private ExitService exits() {
    ExitService s = new ExitService();
    s.repo = new InMemoryExitRepository();
    s.changed = new RecordingEvent<ExitsChanged>();
    s.keys =
        new ServerKeys() {
          @Override
          public SecretBox box() {
            return box;
          }
        };
    return s;
  }

  private static Map<String, Object> in(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void exitsStoreShowAndClearTheTemplate() {
    ExitService s = exits();
    var v =
        s.create(
            in(
                "name",
                "up",
                "kind",
                "socks5",
                "host",
                "10.0.0.1",
                "port",
                1080L,
                "upstreamUsernameTemplate",
                "acct42-session-{session}"));
    assertThat(v.upstreamUsernameTemplate()).isEqualTo("acct42-session-{session}");
    var patched = s.update(v.id(), in("upstreamUsernameTemplate", null));
    assertThat(patched.upstreamUsernameTemplate()).isNull();
  }

  @Test
  void badTemplatesAndDirectExitsAreFieldErrors() {
    ExitService s = exits();
    ApiException bad =
        catchThrowableOfType(
            ApiException.class,
            () ->
                s.create(
                    in(
                        "name",
                        "up",
                        "kind",
                        "socks5",
                        "host",
                        "10.0.0.1",
                        "port",
                        1080L,
                        "upstreamUsernameTemplate",
                        "acct-{sess}")));
    assertThat(bad.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("upstreamUsernameTemplate");
    ApiException direct =
        catchThrowableOfType(
            ApiException.class,
            () ->
                s.create(
                    in("name", "d", "kind", "direct", "upstreamUsernameTemplate", "a-{session}")));
    assertThat(direct.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("upstreamUsernameTemplate");
  }

  @Test
  void providerExitsInheritTheTemplate() {
    InMemoryExitRepository repo = new InMemoryExitRepository();
    ProviderService p = new ProviderService();
    p.repo = repo;
    p.changed = new RecordingEvent<>();
    var v =
        p.create(
            in(
                "name",
                "acme",
                "kind",
                "socks5",
                "host",
                "gw.acme.example",
                "portFrom",
                10001L,
                "portTo",
                10002L,
                "upstreamUsernameTemplate",
                "user-acct42-session-{session}"));
    assertThat(v.upstreamUsernameTemplate()).isEqualTo("user-acct42-session-{session}");
    assertThat(repo.exitsOfProvider(v.id()))
        .hasSize(2)
        .allSatisfy(
            e -> assertThat(e.upstreamUsernameTemplate).isEqualTo("user-acct42-session-{session}"));
    p.update(v.id(), in("upstreamUsernameTemplate", "user-acct42-country-{country}"));
    assertThat(repo.exitsOfProvider(v.id()))
        .allSatisfy(
            e -> assertThat(e.upstreamUsernameTemplate).isEqualTo("user-acct42-country-{country}"));
  }
}
