/** {@code /api/v1/audit} and the filter that audits every state-changing API call. */
package io.sluice.audit.api;
