package io.sluice.tor.domain;

/**
 * What a supervisor reported, for the fleet service (counters, persistence): {@code kind} is one of
 * {@code changed}, {@code newnym}, {@code deferred}, {@code restarting}.
 */
public record TorNodeSignal(String kind, int index) {}
