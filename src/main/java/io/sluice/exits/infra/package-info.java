/**
 * Exit persistence (JPA entities and repositories for exits, pools, providers, checks and
 * dedicated assignments) and exit health probing: {@link io.sluice.exits.infra.ExitProbe} fetches an
 * IP-echo URL through an exit with the engine's {@link io.sluice.engine.probe.ProbeClient} (the
 * connectors that carry user traffic) and reports the public address it egresses from.
 */
package io.sluice.exits.infra;
