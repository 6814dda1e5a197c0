/**
 * Tunnel domain events (agent connected/disconnected, mappings changed).
 */
package io.sluice.tunnels.domain;
