/**
 * Admin persistence and rate-limit stores: JPA repositories of accounts and refresh tokens, the
 * JDBC login-attempt counter, and the bucket4j rate limiters ({@code infra.ratelimit}).
 */
package io.sluice.admin.infra;
