package io.sluice.platform.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The admin API: everything under {@code /api/v1}, JSON in and out, RS256 bearer tokens. */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT", realmName = "sluice")
@DeclareRoles({Roles.ADMIN, Roles.VIEWER, Roles.PASSWORD_CHANGE})
@OpenAPIDefinition(
    info =
        @Info(
            title = "Sluice admin API",
            version = "v1",
            description =
                "Manage proxy users, admins, exits and tunnels of a Sluice egress gateway. "
                    + "Log in with POST /api/v1/auth/login and send the access token as 'Authorization: Bearer ...'. "
                    + "Every error is an RFC 9457 application/problem+json document.",
            license = @License(name = "Apache-2.0")),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
public class SluiceApplication extends Application {}
