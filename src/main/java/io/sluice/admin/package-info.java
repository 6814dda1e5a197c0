/**
 * Admin accounts and admin security: login, JWT access tokens, rotating refresh tokens, TOTP,
 * lockout, API rate limits, the panel whitelist and the HTTPS-only switch. Layers: {@code api}
 * (resources and filters) -> {@code app} (services) -> {@code domain} <- {@code infra} (JPA,
 * rate-limit buckets).
 */
package io.sluice.admin;
