/** Exits, providers, pools and their strategies, dedicated ports, exit health checks. */
package io.sluice.exits;
