/** Flyway support: how migrations are found inside Open Liberty's class loaders. */
package io.sluice.infra.db;
