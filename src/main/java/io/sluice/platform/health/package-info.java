/** MicroProfile Health checks of the platform: liveness, start-up, database, migrations. */
package io.sluice.platform.health;
