/**
 * The Tor fleet's domain: node states ({@link io.sluice.tor.domain.NodeState}), the torrc extra
 * lines and their allow lists ({@link io.sluice.tor.domain.TorrcLines}), node snapshots, and the
 * events the fleet raises for other features (node failed, node recovered, country exhausted). The
 * JDK only.
 */
package io.sluice.tor.domain;
