/**
 * Admin persistence and rate-limit stores: JPA repositories of accounts, refresh tokens and API
 * keys, the JDBC login-attempt counter, and the bucket4j rate limiters ({@code infra.ratelimit}).
 */
package io.sluice.admin.infra;
