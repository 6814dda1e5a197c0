/** Reverse tunnels on this node: settings, the routing of public-port connections, statistics. */
package io.sluice.app.tunnel;
