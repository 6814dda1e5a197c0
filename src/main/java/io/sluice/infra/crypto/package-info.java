/**
 * Cryptography used at rest: AES-GCM with the server key for reversible secrets (proxy-user
 * passwords, upstream credentials, the JWT signing key) and argon2id for admin passwords.
 * Plain Java plus Bouncy Castle; no Jakarta EE.
 */
package io.sluice.infra.crypto;
