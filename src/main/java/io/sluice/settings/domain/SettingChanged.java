package io.sluice.settings.domain;

/**
 * Fired when a setting is written (other nodes drop their cached value through the cluster bus).
 */
public record SettingChanged(String name) {}
