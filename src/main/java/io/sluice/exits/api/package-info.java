/**
 * Exit, provider and pool resources, the IP echo used by health checks, the exits health check.
 */
package io.sluice.exits.api;
