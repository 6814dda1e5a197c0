/** Audit services: recording (in its own transaction), queries, the hourly retention job. */
package io.sluice.audit.app;
