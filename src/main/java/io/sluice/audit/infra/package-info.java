/** Audit log persistence: native SQL on the {@code audit_event} table through JPA. */
package io.sluice.audit.infra;
