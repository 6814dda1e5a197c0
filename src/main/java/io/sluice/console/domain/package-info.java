/**
 * What the console needs from the running node and cannot get from a feature: the live counts of
 * the proxy engine, supplied by the gateway (the composition root). Plain Java.
 */
package io.sluice.console.domain;
