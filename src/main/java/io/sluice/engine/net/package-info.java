/**
 * Name resolution and the destination gate (resolve once, ask the policy about every address), and
 * the choice of Netty transport. Depends on Netty and {@code io.sluice.engine.spi} only.
 */
package io.sluice.engine.net;
