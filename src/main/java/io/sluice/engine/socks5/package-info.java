/**
 * SOCKS5 front end (RFC 1928, RFC 1929): one decoder per handshake phase, the handshake driver, and
 * one class per command (CONNECT, BIND, UDP ASSOCIATE with its relay socket). Depends on Netty,
 * {@code io.sluice.engine.core}, {@code net}, {@code session}, {@code relay}, {@code exit} and
 * {@code spi}. Reply codes are {@link io.sluice.engine.socks5.Socks5Reply} values (RFC 1928 section
 * 6), never bare ints.
 */
package io.sluice.engine.socks5;
