package io.sluice.admin.api;

import io.sluice.admin.app.AdminService;
import io.sluice.admin.app.JwtService;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Login, the forced password change, and the public key set that verifies tokens. */
@Path("/v1/auth")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {

  @Inject AdminService admins;
  @Inject JwtService jwt;
  @Inject io.sluice.admin.app.RefreshTokens refreshTokens;

  @POST
  @Path("/login")
  @PermitAll
  @SecurityRequirements
  @Operation(
      summary =
          "Log in with username and password; returns a bearer access token. "
              + "If passwordChangeRequired is true the token only allows POST /api/v1/auth/password.")
  public Map<String, Object> login(
      JsonValue body, @Context jakarta.servlet.http.HttpServletRequest request) {
    JsonInput in = new JsonInput(body, Set.of("username", "password", "totp", "recoveryCode"));
    String username = in.string("username", true);
    String password = in.string("password", true);
    String totp = in.string("totp", false);
    String recoveryCode = in.string("recoveryCode", false);
    in.done();
    return token(admins.login(username, password, totp, recoveryCode, request.getRemoteAddr()));
  }

  @POST
  @Path("/password")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.PASSWORD_CHANGE})
  @Operation(summary = "Change your own password; returns a fresh token with your full role.")
  public Map<String, Object> changePassword(JsonValue body, @Context SecurityContext sec) {
    JsonInput in = new JsonInput(body, Set.of("currentPassword", "newPassword"));
    String current = in.string("currentPassword", true);
    String next = in.string("newPassword", true);
    in.done();
    return token(admins.changePassword(sec.getUserPrincipal().getName(), current, next));
  }

  @POST
  @Path("/totp/enroll")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Start TOTP enrolment: a new secret, its otpauth:// URI and a QR code (PNG data URI). "
              + "Two-factor login is on only after POST /api/v1/auth/totp/confirm.")
  public AdminService.Enrolment enrollTotp(@Context SecurityContext sec) {
    return admins.enrollTotp(sec.getUserPrincipal().getName());
  }

  @POST
  @Path("/totp/confirm")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Confirm TOTP enrolment with a current code; returns 10 one-time recovery codes (shown once).")
  public Map<String, Object> confirmTotp(JsonValue body, @Context SecurityContext sec) {
    JsonInput in = new JsonInput(body, Set.of("code"));
    String code = in.string("code", true);
    in.done();
    return Map.of(
        "totpEnabled",
        true,
        "recoveryCodes",
        admins.confirmTotp(sec.getUserPrincipal().getName(), code));
  }

  @GET
  @Path("/me")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.PASSWORD_CHANGE})
  @Operation(summary = "Who the token belongs to and what it may do.")
  public JsonObject me(@Context SecurityContext sec) {
    String role =
        sec.isUserInRole(Roles.ADMIN)
            ? Roles.ADMIN
            : sec.isUserInRole(Roles.VIEWER) ? Roles.VIEWER : Roles.PASSWORD_CHANGE;
    return Json.createObjectBuilder()
        .add("username", sec.getUserPrincipal().getName())
        .add("role", role)
        .add("passwordChangeRequired", Roles.PASSWORD_CHANGE.equals(role))
        .build();
  }

  @GET
  @Path("/jwks")
  @PermitAll
  @SecurityRequirements
  @Operation(summary = "The JSON Web Key Set with the public key that signs access tokens.")
  public Map<String, Object> jwks() {
    return jwt.jwks();
  }

  @POST
  @Path("/refresh")
  @PermitAll
  @SecurityRequirements
  @Operation(
      summary =
          "Exchange a refresh token for a new access token and the next refresh token. "
              + "A refresh token works once; presenting a spent one revokes every token of that login.")
  public Map<String, Object> refresh(JsonValue body) {
    JsonInput in = new JsonInput(body, Set.of("refreshToken"));
    String token = in.string("refreshToken", true);
    in.done();
    return token(admins.refresh(token));
  }

  @POST
  @Path("/logout")
  @PermitAll
  @SecurityRequirements
  @Operation(
      summary =
          "Revoke the refresh tokens of this login (access tokens expire on their own within minutes).")
  public jakarta.ws.rs.core.Response logout(JsonValue body) {
    JsonInput in = new JsonInput(body, Set.of("refreshToken"));
    String token = in.string("refreshToken", true);
    in.done();
    refreshTokens.revoke(token);
    return jakarta.ws.rs.core.Response.noContent().build();
  }

  private static Map<String, Object> token(AdminService.Login login) {
    return Map.of(
        "accessToken", login.accessToken(),
        "tokenType", "Bearer",
        "expiresIn", login.expiresIn(),
        "refreshToken", login.refreshToken(),
        "refreshExpiresIn", login.refreshExpiresIn(),
        "passwordChangeRequired", login.passwordChangeRequired(),
        "role", login.role());
  }
}
