/**
 * Proxy users: the {@code ProxyUserEntity} (JPA-mapped), values, change events, the in-memory usage
 * recorder and the repository ports ({@code ProxyUserRepository}, {@code UsageRepository}). Imports
 * no app, api or infra package.
 */
package io.sluice.users.domain;
