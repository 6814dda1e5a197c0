package io.sluice.admin.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
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
    } catch (ParseException e) {
      throw new IllegalStateException("stored JWT signing key is unreadable", e);
    }
  }

  /** An issued token and its lifetime in seconds. */
  public record Issued(String token, long expiresIn) {}

  public Issued issue(String username, List<String> groups) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(username)
            .claim("upn", username)
            .claim("groups", groups)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key().getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key()));
      return new Issued(jwt.serialize(), ttlSeconds);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
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
