/**
 * Exit health: checks through each exit to an IP-echo URL, state changes with hysteresis, the
 * recent results, and the periodic monitor that runs on one node of the cluster at a time.
 */
package io.sluice.app.exits;
