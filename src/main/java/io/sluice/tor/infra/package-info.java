/**
 * The Tor fleet's infrastructure: the control-port client ({@code control}), tor processes and
 * their supervision ({@code process}), and the JPA repository of nodes.
 */
package io.sluice.tor.infra;
