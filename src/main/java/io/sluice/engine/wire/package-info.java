/**
 * Wire codes shared by the server-side front ends and the upstream clients (exit connectors):
 * {@link io.sluice.engine.wire.Socks5Reply}, the RFC 1928 REP field. Value types only; depends on
 * nothing but the JDK, so both sides use them without a package cycle.
 */
package io.sluice.engine.wire;
