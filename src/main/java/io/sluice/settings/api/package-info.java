/** {@code /api/v1/settings}. */
package io.sluice.settings.api;
