package io.sluice.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Entry point of the typed client: {@code SluiceClient.builder().server("http://gw:9080")
 * .token(t).build().users().list(null, 0, 50)}. Each accessor returns an implementation of one API
 * interface; the client is thread-safe and cheap to keep.
 */
public final class SluiceClient {

  private final URI server;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Supplier<String> token;
  private final Duration timeout;

  private SluiceClient(Builder b) {
    this.server = b.server;
    this.http =
        b.http != null
            ? b.http
            : HttpClient.newBuilder()
                // HTTP/1.1: the JDK's default (HTTP/2, upgraded from plain http with h2c) made
                // Liberty see a Content-Length the API's body-limit filter rejects on the second
                // POST over an upgraded connection.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.json = objectMapper();
    this.token = b.token;
    this.timeout = b.requestTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The JSON settings of the client: unknown fields are ignored (newer servers add fields), null
   * fields are left out of requests.
   */
  public static ObjectMapper objectMapper() {
    return new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** The server's root URL, such as {@code http://localhost:9080}. */
  public URI server() {
    return server;
  }

  /** An implementation of any API interface of this package (or a compatible one of yours). */
  public <T> T api(Class<T> type) {
    return RestProxy.create(type, URI.create(server + "/api"), http, json, token, timeout);
  }

  public AuthApi auth() {
    return api(AuthApi.class);
  }

  public AdminsApi admins() {
    return api(AdminsApi.class);
  }

  public ApiKeysApi apiKeys() {
    return api(ApiKeysApi.class);
  }

  public UsersApi users() {
    return api(UsersApi.class);
  }

  public ExitsApi exits() {
    return api(ExitsApi.class);
  }

  public PoolsApi pools() {
    return api(PoolsApi.class);
  }

  public ProvidersApi providers() {
    return api(ProvidersApi.class);
  }

  public AgentsApi agents() {
    return api(AgentsApi.class);
  }

  public TunnelsApi tunnels() {
    return api(TunnelsApi.class);
  }

  public SessionsApi sessions() {
    return api(SessionsApi.class);
  }

  public StatsApi stats() {
    return api(StatsApi.class);
  }

  public ExportsApi exports() {
    return api(ExportsApi.class);
  }

  public EventsApi events() {
    return api(EventsApi.class);
  }

  public TorApi tor() {
    return api(TorApi.class);
  }

  public VmsApi vms() {
    return api(VmsApi.class);
  }

  public FirewallApi firewall() {
    return api(FirewallApi.class);
  }

  public AlertsApi alerts() {
    return api(AlertsApi.class);
  }

  public AddressPoolsApi addressPools() {
    return api(AddressPoolsApi.class);
  }

  public OperationsApi operations() {
    return api(OperationsApi.class);
  }

  /** Builds a {@link SluiceClient}. */
  public static final class Builder {
    private URI server;
    private HttpClient http;
    private Supplier<String> token = () -> null;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** The server's root URL ({@code http://host:9080}); a trailing slash is dropped. */
    public Builder server(String url) {
      String u = Objects.requireNonNull(url, "server").strip();
      while (u.endsWith("/")) {
        u = u.substring(0, u.length() - 1);
      }
      URI parsed = URI.create(u);
      if (parsed.getScheme() == null
          || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
          || parsed.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL: " + url);
      }
      this.server = parsed;
      return this;
    }

    /** A fixed bearer token: an access token from a login, or an API key's token. */
    public Builder token(String token) {
      this.token = () -> token;
      return this;
    }

    /** A token asked for before each call (e.g. one that refreshes itself). */
    public Builder token(Supplier<String> token) {
      this.token = Objects.requireNonNull(token);
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Use this HTTP client (TLS settings, proxy, executor) instead of a default one. */
    public Builder httpClient(HttpClient client) {
      this.http = Objects.requireNonNull(client);
      return this;
    }

    public SluiceClient build() {
      if (server == null) {
        throw new IllegalStateException("server is not set");
      }
      return new SluiceClient(this);
    }
  }
}
