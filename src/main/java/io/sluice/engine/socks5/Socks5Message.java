package io.sluice.engine.socks5;

/** What the SOCKS5 phase decoders emit: one message per phase, or a malformed-input result. */
public sealed interface Socks5Message {

  /** Method selection message, RFC 1928 section 3: VER, NMETHODS, METHODS. */
  record Greeting(byte[] methods) implements Socks5Message {
    public boolean offers(int method) {
      for (byte m : methods) {
        if ((m & 0xFF) == method) {
          return true;
        }
      }
      return false;
    }
  }

  /** Username/password request, RFC 1929 section 2: VER X'01', ULEN, UNAME, PLEN, PASSWD. */
  record Credentials(String username, String password) implements Socks5Message {
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }

  /**
   * Request, RFC 1928 section 4: VER, CMD, RSV, ATYP, DST.ADDR, DST.PORT. {@code host} is the IP
   * literal or domain name of DST.ADDR.
   */
  record Request(int command, int addressType, String host, int port) implements Socks5Message {}

  /**
   * Input that cannot be answered normally. {@code reply} is the bytes to send before closing
   * (already chosen by the decoder of that phase), {@code reason} is for logs.
   */
  record Malformed(byte[] reply, String reason) implements Socks5Message {}
}
