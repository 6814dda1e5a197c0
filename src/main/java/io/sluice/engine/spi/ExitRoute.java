package io.sluice.engine.spi;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * How a session leaves Sluice: {@link Direct}, or through an upstream proxy ({@link
 * Socks5Upstream}, {@link HttpUpstream}). Later Tor and tunnel agents are added as further
 * permitted types.
 *
 * <p>Upstream routes carry credentials. Their {@code toString()} never prints the password (only
 * whether one is set), so routes may be logged and shown in the sessions API.
 *
 * <p><b>Names and the destination policy.</b> For every route the engine first resolves the
 * destination name locally, once, and asks the {@link DestinationPolicy} about every address (the
 * open-proxy guard applies before any exit is used; a name that does not resolve locally is refused
 * as unresolvable). A direct route then connects to exactly a checked address. An upstream route
 * instead sends the destination <em>as the client named it</em>: a domain name goes upstream
 * unresolved (SOCKS5 ATYP X'03', HTTP {@code CONNECT name:port}) so that the exit resolves it in
 * its own network (provider-side geo DNS); an IP literal goes upstream as that IP. What the name
 * resolves to inside the exit's network is the exit's responsibility.
 */
public sealed interface ExitRoute {

  /**
   * An id for logs and the sessions API ({@code direct} for the default route); unique per exit.
   */
  String id();

  /**
   * Connect straight to the destination, optionally from a given local source address.
   *
   * @param localAddress source address to bind, or {@code null} for the system's choice
   */
  record Direct(String id, InetAddress localAddress) implements ExitRoute {}

  /**
   * Through an upstream SOCKS5 server (RFC 1928 CONNECT), with RFC 1929 username/password
   * authentication when {@code username} is given.
   *
   * @param host the upstream server's name or IP literal (not subject to the destination policy)
   * @param port its port, 1-65535
   * @param username RFC 1929 username (1-255 bytes UTF-8), or {@code null} for no authentication
   * @param password RFC 1929 password (0-255 bytes UTF-8); {@code null} is sent as empty
   */
  record Socks5Upstream(String id, String host, int port, String username, String password)
      implements ExitRoute {

    public Socks5Upstream {
      checkUpstream(id, host, port, username, password);
      if (username != null
          && (username.isEmpty()
              || utf8(username) > 255
              || (password != null && utf8(password) > 255))) {
        throw new IllegalArgumentException(
            "RFC 1929 username must be 1-255 bytes and password at most 255 bytes");
      }
    }

    public boolean hasCredentials() {
      return username != null;
    }

    @Override
    public String toString() {
      return "Socks5Upstream[id="
          + id
          + ", host="
          + host
          + ", port="
          + port
          + ", username="
          + username
          + ", password="
          + (password == null ? "null" : "***")
          + "]";
    }
  }

  /**
   * Through an upstream HTTP proxy ({@code CONNECT host:port HTTP/1.1}), with {@code
   * Proxy-Authorization: Basic} when {@code username} is given. Plain HTTP forwarding through such
   * an exit also uses a CONNECT tunnel to the origin.
   *
   * @param host the upstream proxy's name or IP literal (not subject to the destination policy)
   * @param port its port, 1-65535
   * @param username Basic username (no colon), or {@code null} for no authentication
   * @param password Basic password; {@code null} is sent as empty
   */
  record HttpUpstream(String id, String host, int port, String username, String password)
      implements ExitRoute {

    public HttpUpstream {
      checkUpstream(id, host, port, username, password);
      if (username != null && username.indexOf(':') >= 0) {
        throw new IllegalArgumentException("Basic username must not contain ':'");
      }
    }

    public boolean hasCredentials() {
      return username != null;
    }

    @Override
    public String toString() {
      return "HttpUpstream[id="
          + id
          + ", host="
          + host
          + ", port="
          + port
          + ", username="
          + username
          + ", password="
          + (password == null ? "null" : "***")
          + "]";
    }
  }

  static ExitRoute direct() {
    return new Direct("direct", null);
  }

  private static void checkUpstream(
      String id, String host, int port, String username, String password) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("exit id must not be blank");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("exit " + id + ": host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("exit " + id + ": port out of range: " + port);
    }
    if (username == null && password != null) {
      throw new IllegalArgumentException("exit " + id + ": password without username");
    }
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
