/**
 * Admin services: accounts and password policy, JWT and refresh tokens, API keys, TOTP, login
 * throttling, rate limits, panel whitelist and HTTPS policy. May use {@code admin.domain}, platform
 * and other features' {@code app} services.
 */
package io.sluice.admin.app;
