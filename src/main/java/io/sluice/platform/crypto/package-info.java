/**
 * Cryptography at rest: AES-GCM with the server key for reversible secrets and argon2id for admin
 * passwords; the server key and the database-stored shared keys.
 */
package io.sluice.platform.crypto;
