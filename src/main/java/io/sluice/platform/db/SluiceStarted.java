package io.sluice.platform.db;

/** Fired once start-up (migrations, keys, first admin) has succeeded. */
public record SluiceStarted(boolean embeddedDatabase) {}
