/** Proxy user services, the account source the gateway authenticates against, usage accounting. */
package io.sluice.users.app;
