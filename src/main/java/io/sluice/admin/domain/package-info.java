/**
 * Admin domain: the admin account entity, the ports the services use (accounts, refresh tokens, API
 * keys, login attempts, rate limiters; implementations in {@code admin.infra}), the rate-limit
 * values and security events raised on lockouts and token reuse.
 */
package io.sluice.admin.domain;
