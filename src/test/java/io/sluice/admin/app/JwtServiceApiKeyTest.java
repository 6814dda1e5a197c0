package io.sluice.admin.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.sluice.platform.crypto.SecretBox;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.crypto.SharedKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * API key tokens of the real {@link JwtService}: claims, and what {@code verifiedSubject} accepts.
 */
class JwtServiceApiKeyTest {

  private static JwtService newService() {
    SecretBox box = new SecretBox(SecretBox.newKey());
    JwtService jwt = new JwtService();
    jwt.serverKeys =
        new ServerKeys() {
          @Override
          public SecretBox box() {
            return box;
          }
        };
    jwt.keys =
        new SharedKeys() {
          @Override
          public String getOrCreate(String name, Supplier<String> create) {
            return create.get();
          }
        };
    jwt.ttlSeconds = 900;
    jwt.init();
    return jwt;
  }

  @Test
  void anApiKeyTokenCarriesItsSubjectRoleIdAndExpiryAndVerifies() throws Exception {
    JwtService jwt = newService();
    Instant expires =
        Instant.now().plus(Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    String token = jwt.issueApiKey("key:orch", "orchestrator", "apikey-50", expires);

    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("key:orch");
    assertThat(claims.getClaim("upn")).isEqualTo("key:orch");
    assertThat(claims.getStringListClaim("groups")).isEqualTo(List.of("orchestrator"));
    assertThat(claims.getJWTID()).isEqualTo("apikey-50");
    assertThat(claims.getAudience()).containsExactly(JwtService.AUDIENCE);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(expires);
    assertThat(jwt.verifiedSubject(token)).contains("key:orch");
    assertThat(jwt.verifiedSubject(jwt.issue("admin", List.of("admin")).token())).contains("admin");
  }

  @Test
  void forgedForeignExpiredAndMalformedTokensAreRefused() {
    JwtService jwt = newService();
    String token =
        jwt.issueApiKey("key:orch", "orchestrator", "apikey-50", Instant.now().plusSeconds(600));
    String[] parts = token.split("\\.");
    String tampered =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                        .replace("orchestrator", "admin")
                        .getBytes())
            + "."
            + parts[2];

    assertThat(jwt.verifiedSubject(tampered)).isEmpty();
    assertThat(
            jwt.verifiedSubject(
                newService()
                    .issueApiKey("key:orch", "orchestrator", "x", Instant.now().plusSeconds(600))))
        .as("signed by another key")
        .isEmpty();
    assertThat(
            jwt.verifiedSubject(
                jwt.issueApiKey("key:old", "orchestrator", "y", Instant.now().minusSeconds(1))))
        .as("expired")
        .isEmpty();
    assertThat(jwt.verifiedSubject("not.a.jwt")).isEmpty();
    assertThat(jwt.verifiedSubject("")).isEmpty();
    assertThat(jwt.verifiedSubject(null)).isEmpty();
  }
}
