/**
 * The host-facing API of the Sluice proxy engine: {@link io.sluice.engine.ProxyEngine}, {@link
 * io.sluice.engine.config.EngineConfig}, {@link io.sluice.engine.config.ListenerConfig} and their
 * states, plus the per-connection pipeline set-up. A listener is identified by its {@link
 * io.sluice.engine.spi.ListenerTag} (its name is the tag's name); name-based {@code ListenerConfig}
 * constructors remain and parse the name into a tag. Plain Java and Netty: nothing under {@code
 * io.sluice.engine} may import Jakarta EE, JPA or MicroProfile. Sub-packages: {@code spi} (what the
 * host implements), {@code core}, {@code net}, {@code exit}, {@code session}, {@code relay}, and
 * the front ends {@code socks5}, {@code socks4}, {@code http}.
 */
package io.sluice.engine;
