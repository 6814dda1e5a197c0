/**
 * Admin persistence: the admin account entity and its JPA repository.
 */
package io.sluice.admin.infra;
