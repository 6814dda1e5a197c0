package io.sluice.app;

/** Fired once start-up (migrations, keys, first admin) has succeeded. */
public record SluiceStarted(boolean embeddedDatabase) {}
