/** This server's identity among the nodes sharing one database (id, name, version, address). */
package io.sluice.platform.node;
