package io.sluice.exports.app;

import io.sluice.audit.app.AuditService;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.exits.app.DedicatedPortService;
import io.sluice.exits.app.PoolService;
import io.sluice.exports.domain.ExportFormat;
import io.sluice.exports.domain.ExportLink;
import io.sluice.exports.domain.ExportLinkRepository;
import io.sluice.exports.domain.ExportRenderer;
import io.sluice.exports.domain.ExportTokens;
import io.sluice.exports.domain.ProxyEntry;
import io.sluice.platform.crypto.Secrets;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.users.app.ProxyUserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Export links: proxy lists ({@code host:port:user:pass} text, CSV or JSON) that work without a
 * login until they expire or are revoked. The token in the URL is signed (HMAC-SHA256 with a key
 * derived from the server key) and names a row, so it can be both verified offline and revoked. A
 * link may be bound to a CIDR; every download is counted and audited.
 */
@ApplicationScoped
public class ExportService {

  @Inject ExportLinkRepository links;
  @Inject ProxyUserService users;
  @Inject PoolService pools;
  @Inject ServerKeys keys;
  @Inject AuditService audit;
  @Inject MetricRegistry metrics;
  @Inject DedicatedPortService dedicated;

  @Inject
  @ConfigProperty(name = "sluice.proxy.public-host")
  Optional<String> publicHost;

  @Inject
  @ConfigProperty(name = "sluice.proxy.bind", defaultValue = "127.0.0.1")
  String bind;

  @Inject
  @ConfigProperty(name = "sluice.socks.port", defaultValue = "1080")
  int socksPort;

  /** An export link as the API shows it (the URL only when created). */
  public record Link(
      String id,
      String scope,
      String pool,
      String format,
      String bindCidr,
      Instant expiresAt,
      Instant revokedAt,
      String createdBy,
      Instant createdAt,
      long downloads,
      String url) {}

  /** A rendered download. */
  public record Download(byte[] body, String mediaType, String fileName) {}

  /** Why a download was refused. */
  public static final class Refused extends RuntimeException {
    public final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private ExportTokens tokens() {
    return new ExportTokens(keys.derive("export-links"));
  }

  @Transactional
  public Link create(
      String scope,
      String pool,
      String format,
      Long ttlMinutes,
      Long ttlSeconds,
      String bindCidr,
      String actor) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (scope == null || !List.of("users", "pools", "dedicated").contains(scope)) {
      errors.add(new ApiException.FieldError("scope", "must be one of: users, pools, dedicated"));
    }
    if ("pools".equals(scope) && (pool == null || !pools.exists(pool))) {
      errors.add(
          new ApiException.FieldError(
              "pool", "an existing pool name is required for scope 'pools'"));
    }
    ExportFormat f = null;
    try {
      f = ExportFormat.parse(format == null ? "" : format);
    } catch (IllegalArgumentException e) {
      errors.add(new ApiException.FieldError("format", "must be one of: txt, csv, json"));
    }
    if ((ttlMinutes == null) == (ttlSeconds == null)) {
      errors.add(
          new ApiException.FieldError(
              "ttlMinutes", "give ttlMinutes (1-43200) or ttlSeconds (10-3600), not both"));
    } else if (ttlMinutes != null && (ttlMinutes < 1 || ttlMinutes > 43_200)) {
      errors.add(
          new ApiException.FieldError("ttlMinutes", "must be between 1 and 43200 (30 days)"));
    } else if (ttlSeconds != null && (ttlSeconds < 10 || ttlSeconds > 3600)) {
      errors.add(new ApiException.FieldError("ttlSeconds", "must be between 10 and 3600"));
    }
    if (bindCidr != null) {
      try {
        SourceWhitelist.parse(bindCidr);
      } catch (IllegalArgumentException e) {
        errors.add(new ApiException.FieldError("bindCidr", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    String id = Secrets.random(24);
    Instant now = Instant.now();
    Duration ttl =
        ttlMinutes != null ? Duration.ofMinutes(ttlMinutes) : Duration.ofSeconds(ttlSeconds);
    Instant expires = now.plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    links.insert(
        new ExportLink(
            id,
            scope,
            "pools".equals(scope) ? pool : null,
            f.name().toLowerCase(java.util.Locale.ROOT),
            bindCidr,
            expires,
            null,
            actor,
            now,
            0));
    String url = "/export/" + tokens().issue(id, expires);
    return new Link(
        id,
        scope,
        "pools".equals(scope) ? pool : null,
        f.name().toLowerCase(java.util.Locale.ROOT),
        bindCidr,
        expires,
        null,
        actor,
        now,
        0,
        url);
  }

  @Transactional
  public List<Link> list() {
    return links.all().stream().map(ExportService::link).toList();
  }

  @Transactional
  public void revoke(String id) {
    if (!links.revoke(id, Instant.now())) {
      throw ApiException.notFound("active export " + id);
    }
  }

  /**
   * Serves a download: 404 unknown or forged, 410 expired or revoked, 403 from outside the bound
   * CIDR.
   */
  @Transactional(dontRollbackOn = Refused.class)
  public Download download(String token, String clientIp) {
    var verified = tokens().verify(token, Instant.now());
    if (verified.isEmpty()) {
      // Forged, malformed or expired: the signature alone tells, without touching the database.
      throw new Refused(404, "no such export, or it has expired");
    }
    String id = verified.get().exportId();
    Link link =
        links
            .byId(id)
            .map(ExportService::link)
            .orElseThrow(() -> new Refused(404, "no such export"));
    if (link.revokedAt() != null || !link.expiresAt().isAfter(Instant.now())) {
      audit.recordQuietly(
          null, "exports.download", "export:" + id, "failure", "revoked or expired");
      throw new Refused(410, "this export was revoked or has expired");
    }
    if (link.bindCidr() != null && !bound(link.bindCidr(), clientIp)) {
      audit.recordQuietly(
          null,
          "exports.download",
          "export:" + id,
          "failure",
          "from " + clientIp + " outside " + link.bindCidr());
      throw new Refused(403, "this export may not be downloaded from your address");
    }
    ExportFormat format = ExportFormat.parse(link.format());
    byte[] body = ExportRenderer.render(entries(link), format);
    links.countDownload(id);
    metrics.counter("sluice_export_downloads", new Tag("format", link.format())).inc();
    audit.recordQuietly(
        null, "exports.download", "export:" + id, "success", link.scope() + " as " + link.format());
    return new Download(
        body, format.mediaType(), "sluice-" + link.scope() + "." + format.fileExtension());
  }

  private List<ProxyEntry> entries(Link link) {
    String host = host();
    List<ProxyEntry> out = new ArrayList<>();
    Map<Long, DedicatedPortService.Assignment> ports = new java.util.HashMap<>();
    if ("dedicated".equals(link.scope())) {
      dedicated.all().forEach(a -> ports.put(a.userId(), a));
    }
    for (ProxyUserService.Login u : users.usableLogins()) {
      String password = u.password();
      switch (link.scope()) {
        case "users" ->
            out.add(
                new ProxyEntry(host, socksPort, u.username(), password, "socks5", u.username()));
        case "pools" ->
            out.add(
                new ProxyEntry(
                    host,
                    socksPort,
                    u.username() + "-pool-" + link.pool(),
                    password,
                    "socks5",
                    link.pool()));
        default -> {
          DedicatedPortService.Assignment a = ports.get(u.userId());
          if (a != null) {
            out.add(new ProxyEntry(host, a.port(), u.username(), password, "socks5", u.username()));
          }
        }
      }
    }
    return out;
  }

  private String host() {
    String h = publicHost.filter(s -> !s.isBlank()).orElse(bind);
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("*") ? "127.0.0.1" : h;
  }

  private static boolean bound(String cidr, String ip) {
    try {
      return SourceWhitelist.parse(cidr)
          .matches(InetAddress.getByName(ip)); // IP literal from the container
    } catch (Exception e) {
      return false;
    }
  }

  private static Link link(ExportLink l) {
    return new Link(
        l.id(),
        l.scope(),
        l.pool(),
        l.format(),
        l.bindCidr(),
        l.expiresAt(),
        l.revokedAt(),
        l.createdBy(),
        l.createdAt(),
        l.downloads(),
        null);
  }
}
