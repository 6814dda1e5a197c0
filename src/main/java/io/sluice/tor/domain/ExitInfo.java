package io.sluice.tor.domain;

/**
 * A node's current exit as tor reports it.
 *
 * @param ip the exit relay's address ({@code ns/id/<fp>})
 * @param fingerprint the exit relay's identity
 * @param country tor's {@code ip-to-country} answer, lower case; null when unknown
 */
public record ExitInfo(String ip, String fingerprint, String country) {}
