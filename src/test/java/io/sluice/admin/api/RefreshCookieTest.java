package io.sluice.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefreshCookieTest {

  @Test
  void theCookieIsHttpOnlySecureStrictAndScopedToTheRefreshPath() {
    String c = RefreshCookie.set("tok", 604800);
    assertThat(c)
        .isEqualTo(
            "sluice_refresh=tok; Path=/api/v1/auth/refresh; Max-Age=604800; HttpOnly; Secure;"
                + " SameSite=Strict");
    assertThat(RefreshCookie.clear()).contains("Max-Age=0").contains("Path=/api/v1/auth/refresh");
    assertThat(RefreshCookie.set("tok", -5)).contains("Max-Age=0");
  }

  @Test
  void theModeHeaderMustSayCookie() {
    assertThat(RefreshCookie.requested("cookie")).isTrue();
    assertThat(RefreshCookie.requested(" Cookie ")).isTrue();
    assertThat(RefreshCookie.requested(null)).isFalse();
    assertThat(RefreshCookie.requested("1")).isFalse();
  }

  @Test
  void onlyTheServersOwnOriginIsAccepted() {
    String url = "http://127.0.0.1:9080/api/v1/auth/refresh";
    assertThat(RefreshCookie.sameOrigin(null, url)).isTrue();
    assertThat(RefreshCookie.sameOrigin("http://127.0.0.1:9080", url)).isTrue();
    assertThat(RefreshCookie.sameOrigin("http://127.0.0.1:9081", url)).isFalse();
    assertThat(RefreshCookie.sameOrigin("https://127.0.0.1:9080", url)).isFalse();
    assertThat(RefreshCookie.sameOrigin("http://evil.example:9080", url)).isFalse();
    assertThat(RefreshCookie.sameOrigin("null", url)).isFalse();
    assertThat(RefreshCookie.sameOrigin("not a uri", url)).isFalse();
    assertThat(RefreshCookie.sameOrigin("https://gw.example", "https://GW.example:443/x")).isTrue();
    assertThat(RefreshCookie.sameOrigin("http://gw.example", "http://gw.example:80/x")).isTrue();
  }
}
