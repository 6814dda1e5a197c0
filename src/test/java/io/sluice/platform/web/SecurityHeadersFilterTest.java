package io.sluice.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityHeadersFilterTest {

  @Test
  void theConsoleGetsItsOwnPolicyAndEverythingElseTheApisPolicy() {
    assertThat(SecurityHeadersFilter.isConsole("/console/")).isTrue();
    assertThat(SecurityHeadersFilter.isConsole("/console")).isTrue();
    assertThat(SecurityHeadersFilter.isConsole("/console/js/main.js")).isTrue();
    assertThat(SecurityHeadersFilter.isConsole("/webjars/picocss__pico/2.1.1/css/pico.min.css"))
        .isTrue();
    assertThat(SecurityHeadersFilter.isConsole("/api/v1/users")).isFalse();
    assertThat(SecurityHeadersFilter.isConsole("/consoles")).isFalse();
    assertThat(SecurityHeadersFilter.isConsole("/export/abc")).isFalse();
    assertThat(SecurityHeadersFilter.isConsole(null)).isFalse();
  }

  @Test
  void theConsolePolicyAllowsNoInlineCodeAndRequiresTrustedTypes() {
    String p = SecurityHeadersFilter.CONSOLE_POLICY;
    assertThat(p)
        .startsWith("default-src 'none'")
        .contains("script-src 'self';")
        .contains("style-src 'self';")
        .contains("connect-src 'self';")
        .contains("frame-ancestors 'none'")
        .contains("require-trusted-types-for 'script'")
        .doesNotContain("unsafe");
    assertThat(SecurityHeadersFilter.API_POLICY).doesNotContain("script-src");
  }
}
