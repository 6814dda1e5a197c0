/** {@code /api/v1/users}. */
package io.sluice.users.api;
