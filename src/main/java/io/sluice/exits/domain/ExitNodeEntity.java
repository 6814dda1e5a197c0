package io.sluice.exits.domain;

import io.sluice.exits.domain.selection.ExitState;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An exit (table {@code exit_node}): direct, or an upstream SOCKS5 / HTTP proxy. */
@Entity
@Table(name = "exit_node")
public class ExitNodeEntity {

  @Id
  @SequenceGenerator(name = "exitSeq", sequenceName = "exit_node_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "exitSeq")
  public Long id;

  @Column(nullable = false, length = 128)
  public String name;

  @Column(nullable = false, length = 16)
  public String kind;

  public String host;
  public Integer port;
  public String username;

  /** Sealed with the server key (purpose {@code exit-password}); never returned by the API. */
  @Column(name = "password_enc", length = 1024)
  public String passwordEnc;

  @Column(name = "local_address", length = 64)
  public String localAddress;

  @Column(length = 2)
  public String country;

  /** For kind {@code tor}: the Sluice server that runs the node (only it can use the exit). */
  @Column(name = "tor_server", length = 128)
  public String torServer;

  @Column(nullable = false)
  public boolean enabled;

  @Column(nullable = false, length = 16)
  @Convert(converter = ExitStateConverter.class)
  public ExitState state;

  /**
   * Template of the username sent upstream, rendered per connection ({@code
   * acct42-session-{session}-country-{country}}, see {@link UpstreamUsernameTemplate}); {@code
   * null}: the fixed {@code username}.
   */
  @Column(name = "upstream_username_template", length = 255)
  public String upstreamUsernameTemplate;

  /** IP-echo URL for health checks ({@code null}: the global {@code sluice.exits.check-url}). */
  @Column(name = "check_url", length = 2000)
  public String checkUrl;

  /**
   * The external address this exit should have (a provider's advertised IP); mismatches are
   * flagged.
   */
  @Column(name = "expected_ip", length = 64)
  public String expectedIp;

  @Column(name = "actual_ip", length = 64)
  public String actualIp;

  @Column(name = "latency_ms")
  public Integer latencyMs;

  /** Average latency of successful checks (EWMA, alpha 0.3); least-latency selects on it. */
  @Column(name = "latency_ewma_ms")
  public Double latencyEwmaMs;

  /**
   * The average is above {@code sluice.exits.slow-ms}; informational, the exit stays selectable.
   */
  @Column(nullable = false)
  public boolean slow;

  @Column(name = "last_checked_at")
  public Instant lastCheckedAt;

  @Column(name = "last_verified_at")
  public Instant lastVerifiedAt;

  @Column(name = "last_error", length = 500)
  public String lastError;

  @Column(name = "consecutive_failures", nullable = false)
  public int consecutiveFailures;

  @Column(name = "consecutive_successes", nullable = false)
  public int consecutiveSuccesses;

  /** The provider this exit belongs to ({@code null} for exits created one by one). */
  @Column(name = "provider_id")
  public Long providerId;

  /** Retired from its provider's range but kept because a dedicated assignment uses it. */
  @Column(nullable = false)
  public boolean retired;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version public long version;
}
