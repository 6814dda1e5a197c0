package io.sluice.admin.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.crypto.SharedKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues the admin API's access tokens: RS256 JWTs whose key pair lives in the database, sealed
 * with the server key, so every node signs and verifies with the same key. Liberty's mpJwt verifies
 * them against {@link #jwks()} (served at {@code /api/v1/auth/jwks}).
 */
@ApplicationScoped
public class JwtService {

  public static final String ISSUER = "sluice";
  public static final String AUDIENCE = "sluice-admin";

  /** The only group of a token issued while the password must still be changed. */
  public static final String PASSWORD_CHANGE_GROUP = "password-change";

  private static final String KEY_NAME = "jwt-signing";
  private static final String KEY_PURPOSE = "jwt-signing-key";

  @Inject ServerKeys serverKeys;
  @Inject SharedKeys keys;

  @Inject
  @ConfigProperty(name = "sluice.jwt.ttl-seconds", defaultValue = "900")
  long ttlSeconds;

  private volatile RSAKey signingKey;
  private volatile RSASSAVerifier verifier;

  public void init() {
    String sealed =
        keys.getOrCreate(
            KEY_NAME,
            () -> {
              try {
                RSAKey generated =
                    new RSAKeyGenerator(2048)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .keyID(UUID.randomUUID().toString())
                        .generate();
                return serverKeys.box().sealString(KEY_PURPOSE, generated.toJSONString());
              } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate the JWT signing key", e);
              }
            });
    try {
      signingKey = RSAKey.parse(serverKeys.box().openString(KEY_PURPOSE, sealed));
      verifier = null;
    } catch (ParseException e) {
      throw new IllegalStateException("stored JWT signing key is unreadable", e);
    }
  }

  /** An issued token and its lifetime in seconds. */
  public record Issued(String token, long expiresIn) {}

  public Issued issue(String username, List<String> groups) {
    Instant now = Instant.now();
    return new Issued(
        sign(
            claims(
                username, groups, UUID.randomUUID().toString(), now, now.plusSeconds(ttlSeconds))),
        ttlSeconds);
  }

  /**
   * A long-lived API key token: subject {@code subject} (e.g. {@code key:<name>}), the key's role
   * as its only group, {@code jti} the key's id, valid until {@code expiresAt}.
   */
  public String issueApiKey(String subject, String role, String jti, Instant expiresAt) {
    return sign(claims(subject, List.of(role), jti, Instant.now(), expiresAt));
  }

  /**
   * The subject of a token that this server signed and that has not expired; empty for anything
   * else (malformed, another key, another issuer, expired). Cheap enough to run before a database
   * look-up, so forged tokens never cause one.
   */
  public Optional<String> verifiedSubject(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier())) {
        return Optional.empty();
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date exp = c.getExpirationTime();
      if (!ISSUER.equals(c.getIssuer()) || exp == null || !exp.toInstant().isAfter(Instant.now())) {
        return Optional.empty();
      }
      return Optional.ofNullable(c.getSubject());
    } catch (ParseException | JOSEException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static JWTClaimsSet claims(
      String subject, List<String> groups, String jti, Instant now, Instant expiresAt) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .claim("upn", subject)
        .claim("groups", groups)
        .jwtID(jti)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(expiresAt))
        .build();
  }

  private String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key().getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  private RSASSAVerifier verifier() throws JOSEException {
    RSASSAVerifier v = verifier;
    if (v == null) {
      v = new RSASSAVerifier(key().toRSAPublicKey());
      verifier = v;
    }
    return v;
  }

  /** The public JWK set (never the private key). */
  public Map<String, Object> jwks() {
    return new JWKSet(key().toPublicJWK()).toJSONObject(true);
  }

  private RSAKey key() {
    RSAKey k = signingKey;
    if (k == null) {
      throw new IllegalStateException("JWT signing key not initialised");
    }
    return k;
  }
}
