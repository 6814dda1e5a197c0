/** The cluster: api layer ({@code GET /api/v1/nodes}). */
package io.sluice.cluster.api;
