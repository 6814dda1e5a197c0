package io.sluice.users.app;

import io.sluice.exits.app.DedicatedPortService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The proxy environment variables for a user's machines: {@code HTTP_PROXY}, {@code HTTPS_PROXY},
 * {@code ALL_PROXY} and {@code NO_PROXY} pointing at Sluice (the user's dedicated port when there
 * is one), with the proxy user's URL-encoded credentials and never an upstream's.
 */
@ApplicationScoped
public class ProxyEnvService {

  @Inject ProxyUserService users;
  @Inject DedicatedPortService dedicated;

  @Inject
  @ConfigProperty(name = "sluice.proxy.public-host")
  java.util.Optional<String> publicHost;

  @Inject
  @ConfigProperty(name = "sluice.proxy.bind", defaultValue = "127.0.0.1")
  String bind;

  @Inject
  @ConfigProperty(name = "sluice.socks.port", defaultValue = "1080")
  int socksPort;

  @Inject
  @ConfigProperty(name = "sluice.http-proxy.port", defaultValue = "3128")
  int httpPort;

  public Map<String, String> env(long userId) {
    ProxyUserService.WithPassword c = users.credentials(userId);
    String auth = enc(c.user().username()) + ":" + enc(c.password()) + "@";
    String host = host();
    var assignment = dedicated.get(userId);
    int http = assignment.map(DedicatedPortService.Assignment::port).orElse(httpPort);
    int socks = assignment.map(DedicatedPortService.Assignment::port).orElse(socksPort);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HTTP_PROXY", "http://" + auth + host + ":" + http);
    env.put("HTTPS_PROXY", "http://" + auth + host + ":" + http);
    env.put("ALL_PROXY", "socks5h://" + auth + host + ":" + socks);
    env.put("NO_PROXY", "localhost,127.0.0.1,::1");
    return env;
  }

  private String host() {
    String h = publicHost.filter(s -> !s.isBlank()).orElse(bind);
    if (h.equals("0.0.0.0") || h.equals("::") || h.equals("*")) {
      h = "127.0.0.1";
    }
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
