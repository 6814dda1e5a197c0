/**
 * The generic settings store shared by nodes through the database, and {@code /api/v1/settings}.
 */
package io.sluice.settings;
