/**
 * Infrastructure: JPA entities and repositories, Flyway, cryptography, and the adapters that
 * implement the engine's SPI on top of the database. May depend on {@code io.sluice.domain},
 * {@code io.sluice.engine.spi} and Jakarta EE; nothing in the engine or domain depends on it.
 */
package io.sluice.infra;
