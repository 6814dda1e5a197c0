/** The audit log repository port and its event records. Plain Java. */
package io.sluice.audit.domain;
