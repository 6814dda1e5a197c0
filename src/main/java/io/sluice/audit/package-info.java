/** The append-only audit log: recording every state-changing call, querying, retention. */
package io.sluice.audit;
