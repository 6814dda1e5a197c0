package io.sluice.users.domain;

/**
 * Fired synchronously inside the deleting transaction, before a proxy user's row is deleted, so
 * that other features can let go of what the user holds (VM addresses go into quarantine) in the
 * same transaction; an observer that fails rolls the deletion back.
 */
public record ProxyUserDeleting(long userId, String username) {}
