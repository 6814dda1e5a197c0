/** Version 1 of the admin API ({@code /api/v1}). */
package io.sluice.api.v1;
