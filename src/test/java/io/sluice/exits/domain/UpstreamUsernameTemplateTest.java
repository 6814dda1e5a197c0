package io.sluice.exits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.exits.domain.UpstreamUsernameTemplate.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamUsernameTemplateTest {

  static String render(String template, String user, String session, String country, String ttl) {
    return UpstreamUsernameTemplate.parse(template)
        .render(new Values(user, session, country, ttl == null ? null : Integer.valueOf(ttl)));
  }

  /** Provider formats: template, Sluice user, session, country, ttl, the username sent upstream. */
  @ParameterizedTest(name = "{0} -> {5}")
  @CsvSource(
      nullValues = "null",
      delimiter = '|',
      textBlock =
          """
          # Decodo / Smartproxy
          user-acct42-session-{session}-country-{country}       | alice | abc  | de   | null | user-acct42-session-abc-country-de
          user-acct42-session-{session}-country-{country}       | alice | null | de   | null | user-acct42-country-de
          user-acct42-country-{country}-session-{session}-sessionduration-{ttl} | alice | abc | de | 30 | user-acct42-country-de-session-abc-sessionduration-30
          user-acct42-country-{country}-session-{session}-sessionduration-{ttl} | alice | null | null | null | user-acct42
          # Bright Data
          brd-customer-X-zone-Y-session-{session}-country-{country} | alice | abc | de | null | brd-customer-X-zone-Y-session-abc-country-de
          brd-customer-X-zone-Y-session-{session}-country-{country} | alice | null | null | null | brd-customer-X-zone-Y
          # Oxylabs
          customer-USER-cc-{country}-sessid-{session}-sesstime-{ttl} | alice | abc | de | 10 | customer-USER-cc-de-sessid-abc-sesstime-10
          customer-USER-cc-{country}-sessid-{session}-sesstime-{ttl} | alice | abc | null | null | customer-USER-sessid-abc
          # IPRoyal style (underscore between parameters)
          user_session-{session}_country-{country}              | alice | abc  | de   | null | user_session-abc_country-de
          user_session-{session}_country-{country}              | alice | null | de   | null | user_country-de
          # the issue's example
          acct42-session-{session}-country-{country}            | alice | abc  | de   | null | acct42-session-abc-country-de
          acct42-session-{session}-country-{country}            | alice | null | de   | null | acct42-country-de
          acct42-session-{session}-country-{country}            | alice | null | null | null | acct42
          # the Sluice user name, placeholders without a label, a leading placeholder
          acct42-{user}-session-{session}                       | alice | abc  | null | null | acct42-alice-session-abc
          acct42-{session}                                      | alice | null | null | null | acct42
          {session}-acct42                                      | alice | null | null | null | acct42
          {session}-acct42                                      | alice | s1   | null | null | s1-acct42
          {user}                                                | bob   | null | null | null | bob
          plain.account@example                                 | alice | abc  | de   | 5    | plain.account@example
          """)
  void rendersProviderFormats(
      String template, String user, String session, String country, String ttl, String expected) {
    assertThat(render(template, user, session, country, ttl)).isEqualTo(expected);
  }

  @Test
  void countryIsLowerCased() {
    assertThat(render("a-cc-{country}", "u", null, "DE", null)).isEqualTo("a-cc-de");
  }

  @Test
  void everythingMissingRendersEmpty() {
    assertThat(render("{session}", "u", null, null, null)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          -acct                 | empty segment
          acct-                 | empty segment
          acct--x               | empty segment
          acct-{sess}           | unknown placeholder
          acct-{session         | unclosed
          acct-x{session}       | whole segment
          acct-{session}x       | whole segment
          acct:42               | not allowed
          acct 42               | not allowed
          """)
  void rejectsMalformedTemplates(String template, String message) {
    assertThatThrownBy(() -> UpstreamUsernameTemplate.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsEmptyAndTooLong() {
    assertThatThrownBy(() -> UpstreamUsernameTemplate.parse("")).hasMessageContaining("1-255");
    assertThatThrownBy(() -> UpstreamUsernameTemplate.parse("a".repeat(256)))
        .hasMessageContaining("1-255");
  }

  @Test
  void knowsWhichPlaceholdersItUses() {
    var t = UpstreamUsernameTemplate.parse("a-session-{session}");
    assertThat(t.uses("session")).isTrue();
    assertThat(t.uses("country")).isFalse();
    assertThat(t.template()).isEqualTo("a-session-{session}");
  }
}
