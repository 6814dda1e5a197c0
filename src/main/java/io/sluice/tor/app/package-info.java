/**
 * The Tor fleet's services: {@link io.sluice.tor.app.TorFleetService} reconciles this server's tor
 * nodes with the fleet settings, drains and stops nodes, rotates them (on demand and every
 * interval), tracks their exits with the fleet-wide no-repeat rule; {@link
 * io.sluice.tor.app.TorFleetStore} holds the transactions on {@code tor_*} tables and the exits of
 * kind {@code tor} (through {@code exits.app.TorExitService}); {@link io.sluice.tor.app.TorMetrics}
 * the Prometheus metrics.
 */
package io.sluice.tor.app;
