/**
 * Exit, provider and pool resources, the IP echo used by health checks. (The exits health check is
 * {@code gateway.ExitsCheck}: it reads the live snapshot.)
 */
package io.sluice.exits.api;
