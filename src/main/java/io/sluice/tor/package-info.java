/**
 * The Tor fleet: Sluice starts, supervises and rotates its own {@code tor} processes and offers
 * them as exits of kind {@code tor} ({@code docs/tor.md}). Layers: {@code api} (the {@code
 * /api/v1/tor} resources), {@code app} (the fleet service, settings, metrics, events), {@code
 * domain} (node states, settings, events, the repository and runner ports) and {@code infra} (the
 * control-port client, the process supervisor, JPA).
 */
package io.sluice.tor;
