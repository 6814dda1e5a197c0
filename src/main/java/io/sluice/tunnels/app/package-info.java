/**
 * Tunnel services: agents and their tokens, mappings and public ports, connected agents, routing of
 * public-port connections, settings.
 */
package io.sluice.tunnels.app;
