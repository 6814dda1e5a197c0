/**
 * Tunnel domain: agents and mappings as stored, the repository ports the services use (JPA
 * implementations in {@code tunnels.infra}), statistics deltas and events (agent
 * connected/disconnected, mappings changed). Plain Java.
 */
package io.sluice.tunnels.domain;
