/**
 * Admin REST resources ({@code /api/v1/auth}, {@code /api/v1/admins}, {@code /api/v1/api-keys}) and
 * the request filters that guard the whole API (active admin, HTTPS only, panel whitelist, rate
 * limits). Validate, convert, delegate to {@code admin.app}.
 */
package io.sluice.admin.api;
