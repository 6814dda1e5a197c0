package io.sluice.admin.api;

import io.sluice.admin.app.AdminService;
import io.sluice.admin.app.JwtService;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
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

  private static final Logger LOG = System.getLogger(AuthResource.class.getName());

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
  public Response login(
      JsonValue body,
      @Context HttpServletRequest request,
      @HeaderParam(RefreshCookie.MODE_HEADER) String mode) {
    JsonInput in = new JsonInput(body, Set.of("username", "password", "totp", "recoveryCode"));
    String username = in.string("username", true);
    String password = in.string("password", true);
    String totp = in.string("totp", false);
    String recoveryCode = in.string("recoveryCode", false);
    in.done();
    return answer(
        admins.login(username, password, totp, recoveryCode, request.getRemoteAddr()), mode);
  }

  @POST
  @Path("/password")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.PASSWORD_CHANGE})
  @Operation(summary = "Change your own password; returns a fresh token with your full role.")
  public Response changePassword(
      JsonValue body,
      @Context SecurityContext sec,
      @HeaderParam(RefreshCookie.MODE_HEADER) String mode) {
    JsonInput in = new JsonInput(body, Set.of("currentPassword", "newPassword"));
    String current = in.string("currentPassword", true);
    String next = in.string("newPassword", true);
    in.done();
    return answer(admins.changePassword(sec.getUserPrincipal().getName(), current, next), mode);
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
              + "A refresh token works once; presenting a spent one revokes every token of that login. "
              + "Browsers send 'X-Sluice-Refresh: cookie' and the body {} instead: the token then comes "
              + "from and goes back into the HttpOnly cookie sluice_refresh.")
  public Response refresh(
      JsonValue body,
      @Context HttpServletRequest request,
      @HeaderParam(RefreshCookie.MODE_HEADER) String mode,
      @CookieParam(RefreshCookie.NAME) String cookie) {
    boolean cookieMode = RefreshCookie.requested(mode);
    JsonInput in = new JsonInput(body, Set.of("refreshToken"));
    String token = in.string("refreshToken", !cookieMode);
    in.done();
    if (token == null) {
      token = cookieToken(request, cookie);
    }
    return answer(admins.refresh(token), mode);
  }

  @DELETE
  @Path("/refresh")
  @PermitAll
  @SecurityRequirements
  @Operation(
      summary =
          "Browser logout: revoke the login of the sluice_refresh cookie and remove the cookie "
              + "(needs 'X-Sluice-Refresh: cookie').")
  public Response logoutCookie(
      @Context HttpServletRequest request,
      @HeaderParam(RefreshCookie.MODE_HEADER) String mode,
      @CookieParam(RefreshCookie.NAME) String cookie) {
    if (!RefreshCookie.requested(mode)) {
      throw ApiException.forbidden(
          "send the header " + RefreshCookie.MODE_HEADER + ": " + RefreshCookie.MODE);
    }
    if (cookie != null && !cookie.isBlank()) {
      checkOrigin(request);
      refreshTokens.revoke(cookie);
    }
    return Response.noContent().header(HttpHeaders.SET_COOKIE, RefreshCookie.clear()).build();
  }

  @POST
  @Path("/logout")
  @PermitAll
  @SecurityRequirements
  @Operation(
      summary =
          "Revoke the refresh tokens of this login (access tokens expire on their own within minutes).")
  public Response logout(JsonValue body) {
    JsonInput in = new JsonInput(body, Set.of("refreshToken"));
    String token = in.string("refreshToken", true);
    in.done();
    refreshTokens.revoke(token);
    return Response.noContent().build();
  }

  /** The cookie's refresh token for a call in cookie mode, after the CSRF checks. */
  private static String cookieToken(HttpServletRequest request, String cookie) {
    checkOrigin(request);
    if (cookie == null || cookie.isBlank()) {
      throw ApiException.unauthorized("no refresh cookie");
    }
    return cookie;
  }

  private static void checkOrigin(HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    if (!RefreshCookie.sameOrigin(origin, request.getRequestURL().toString())) {
      LOG.log(
          Level.WARNING,
          "SLUICE1100W: cookie refresh from a foreign origin {0} refused (client {1})",
          origin,
          request.getRemoteAddr());
      throw ApiException.forbidden("the Origin of this request is not this server");
    }
  }

  /**
   * The token answer: the refresh token in the body, or with {@code X-Sluice-Refresh: cookie} in
   * the HttpOnly cookie only.
   */
  private static Response answer(AdminService.Login login, String mode) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accessToken", login.accessToken());
    body.put("tokenType", "Bearer");
    body.put("expiresIn", login.expiresIn());
    body.put("refreshExpiresIn", login.refreshExpiresIn());
    body.put("passwordChangeRequired", login.passwordChangeRequired());
    body.put("role", login.role());
    if (!RefreshCookie.requested(mode)) {
      body.put("refreshToken", login.refreshToken());
      return Response.ok(body).build();
    }
    return Response.ok(body)
        .header(
            HttpHeaders.SET_COOKIE,
            RefreshCookie.set(login.refreshToken(), login.refreshExpiresIn()))
        .build();
  }
}
