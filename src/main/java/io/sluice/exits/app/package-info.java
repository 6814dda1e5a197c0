/**
 * Exit services: CRUD of exits, providers, pools and dedicated ports; health checks and the
 * monitor; the exit snapshot the gateway selects from; live connection counts per exit.
 */
package io.sluice.exits.app;
