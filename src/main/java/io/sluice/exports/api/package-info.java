/** {@code /api/v1/exports} and the {@code /export/<token>} download servlet. */
package io.sluice.exports.api;
