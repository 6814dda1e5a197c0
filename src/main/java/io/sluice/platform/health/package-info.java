/**
 * MicroProfile Health checks of the platform: liveness, start-up, database, migrations, and the
 * drain marker that takes a node out of service before shutdown ({@link
 * io.sluice.platform.health.Drain}).
 */
package io.sluice.platform.health;
