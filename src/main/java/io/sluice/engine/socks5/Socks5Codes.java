package io.sluice.engine.socks5;

/** Constants of RFC 1928 and RFC 1929. */
public final class Socks5Codes {

  private Socks5Codes() {}

  public static final int VERSION = 0x05;

  /** VER of the username/password sub-negotiation, RFC 1929 section 2. */
  public static final int AUTH_VERSION = 0x01;

  public static final int METHOD_NO_AUTH = 0x00;
  public static final int METHOD_PASSWORD = 0x02;
  public static final int METHOD_NONE_ACCEPTABLE = 0xFF;

  public static final int CMD_CONNECT = 0x01;
  public static final int CMD_BIND = 0x02;
  public static final int CMD_UDP_ASSOCIATE = 0x03;

  public static final int ATYP_IPV4 = 0x01;
  public static final int ATYP_DOMAIN = 0x03;
  public static final int ATYP_IPV6 = 0x04;

  // REP field values (RFC 1928 section 6): see Socks5Reply.
}
