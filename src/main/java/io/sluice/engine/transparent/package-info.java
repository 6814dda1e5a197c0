/**
 * The transparent listener's connection handler: a connection the host firewall redirected here
 * carries no proxy protocol; its destination is read back from the NAT mapping, its client is known
 * by source address, and from there it is a session like any other. Netty and the engine only.
 */
package io.sluice.engine.transparent;
