package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/auth}: log in, refresh, log out, own password, TOTP enrolment. */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AuthApi {

  @POST
  @Path("/login")
  Token login(Login login);

  @POST
  @Path("/password")
  Token changePassword(PasswordChange change);

  @POST
  @Path("/totp/enroll")
  Map<String, Object> enrollTotp();

  @POST
  @Path("/totp/confirm")
  Map<String, Object> confirmTotp(Map<String, String> code);

  @GET
  @Path("/me")
  Me me();

  @GET
  @Path("/jwks")
  Map<String, Object> jwks();

  @POST
  @Path("/refresh")
  Token refresh(RefreshToken token);

  @POST
  @Path("/logout")
  void logout(RefreshToken token);

  /**
   * The browser's logout (the refresh token in the {@code sluice_refresh} cookie): {@code mode}
   * must be {@code cookie}. Scripts hold the refresh token themselves and use {@link #logout}.
   */
  @DELETE
  @Path("/refresh")
  void logoutCookie(@HeaderParam("X-Sluice-Refresh") String mode);

  /** Login: {@code totp} or {@code recoveryCode} once two-factor login is on. */
  record Login(String username, String password, String totp, String recoveryCode) {
    public Login(String username, String password) {
      this(username, password, null, null);
    }
  }

  /** Tokens from a login or a refresh; {@code expiresIn} in seconds. */
  record Token(
      String accessToken,
      String tokenType,
      Long expiresIn,
      String refreshToken,
      Long refreshExpiresIn,
      Boolean passwordChangeRequired,
      String role) {}

  record PasswordChange(String currentPassword, String newPassword) {}

  record RefreshToken(String refreshToken) {}

  record Me(String username, String role, Boolean passwordChangeRequired) {}
}
