/** Proxy users: accounts, credentials, limits, client whitelist, proxy env, usage. */
package io.sluice.users;
