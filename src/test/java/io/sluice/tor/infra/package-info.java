/** Test support for the Tor infrastructure: a real tor with the network disabled. */
package io.sluice.tor.infra;
