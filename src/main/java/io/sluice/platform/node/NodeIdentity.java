package io.sluice.platform.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this server is among the nodes that share one database: a random id per start (lease holder
 * and origin of cluster events), a name for people ({@code sluice.node.name}, default host name and
 * HTTP port), the build's version, the start time, and the URL other nodes reach its admin API at
 * ({@code sluice.cluster.advertise-url}, default {@code http://<host address>:<http.port>}).
 */
@ApplicationScoped
public class NodeIdentity {

  private final String id = UUID.randomUUID().toString();
  private final Instant startedAt = Instant.now();

  @Inject
  @ConfigProperty(name = "http.port", defaultValue = "9080")
  int httpPort;

  @Inject
  @ConfigProperty(name = "sluice.node.name")
  Optional<String> configuredName;

  @Inject
  @ConfigProperty(name = "sluice.cluster.advertise-url")
  Optional<String> configuredUrl;

  public String id() {
    return id;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public String name() {
    return configuredName.filter(n -> !n.isBlank()).orElseGet(() -> hostName() + ":" + httpPort);
  }

  public String advertiseUrl() {
    return configuredUrl
        .filter(u -> !u.isBlank())
        .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
        .orElseGet(() -> "http://" + hostAddress() + ":" + httpPort);
  }

  public String version() {
    try (InputStream in = NodeIdentity.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String hostAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (IOException e) {
      return "127.0.0.1";
    }
  }
}
