package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.as;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two-factor login: enrol, confirm, then login needs a TOTP code or a one-time recovery code. */
class TotpIT {

  static String code(String secret) throws Exception {
    return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6)
        .generate(secret, System.currentTimeMillis() / 30_000);
  }

  static Response login(String user, String pw, String key, String value) {
    Map<String, String> body = new HashMap<>(Map.of("username", user, "password", pw));
    if (key != null) {
      body.put(key, value);
    }
    return Api.anon().body(body).post("/api/v1/auth/login");
  }

  @Test
  void enrolConfirmAndLogInWithSecondFactor() throws Exception {
    String name = Api.unique("tfa");
    String pw = "Tfa-Initial-Pass-1";
    admin()
        .body(Map.of("username", name, "password", pw, "role", "viewer"))
        .post("/api/v1/admins")
        .then()
        .statusCode(201);
    String restricted = Api.login(name, pw).path("accessToken");
    String pw2 = "Tfa-Changed-Pass-2";
    String token =
        as(restricted)
            .body(Map.of("currentPassword", pw, "newPassword", pw2))
            .post("/api/v1/auth/password")
            .path("accessToken");

    Response enrol = as(token).post("/api/v1/auth/totp/enroll");
    assertThat(enrol.statusCode()).as(enrol.asString()).isEqualTo(200);
    String secret = enrol.path("secret");
    assertThat((String) enrol.path("otpauthUri")).startsWith("otpauth://totp/").contains(secret);
    assertThat((String) enrol.path("qrPng")).startsWith("data:image/png;base64,");
    // Not on until confirmed.
    assertThat(login(name, pw2, null, null).statusCode()).isEqualTo(200);

    assertProblem(
        as(token).body(Map.of("code", "000000")).post("/api/v1/auth/totp/confirm"),
        400,
        "validation");
    Response confirmed =
        as(token).body(Map.of("code", code(secret))).post("/api/v1/auth/totp/confirm");
    assertThat(confirmed.statusCode()).as(confirmed.asString()).isEqualTo(200);
    List<String> recovery = confirmed.path("recoveryCodes");
    assertThat(recovery).hasSize(10);

    assertProblem(login(name, pw2, null, null), 401, "totp-required");
    assertProblem(
        login(name, pw2, "totp", "123456".equals(code(secret)) ? "654321" : "123456"),
        401,
        "unauthorized");
    assertThat(login(name, pw2, "totp", code(secret)).statusCode()).isEqualTo(200);
    assertThat(login(name, pw2, "recoveryCode", recovery.get(0)).statusCode()).isEqualTo(200);
    assertProblem(login(name, pw2, "recoveryCode", recovery.get(0)), 401, "unauthorized");
    assertProblem(login(name, "Wrong-Password-99", "totp", code(secret)), 401, "unauthorized");
  }
}
