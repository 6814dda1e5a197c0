package io.sluice.engine.socks4;

/**
 * A decoded SOCKS4/4a request (VN, CD, DSTPORT, DSTIP, USERID, and for 4a the host name), or a
 * malformed one ({@code host == null}).
 */
record Socks4Request(int command, String host, int port, String userId) {}
