/** The append-only audit log: recording events, querying them, and retention. */
package io.sluice.app.audit;
