package io.sluice.users.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A proxy user: the account the SOCKS5/HTTP front door accepts (table {@code proxy_user}). */
@Entity
@Table(name = "proxy_user")
@NamedQuery(
    name = "ProxyUser.byUsername",
    query = "SELECT u FROM ProxyUserEntity u WHERE u.username = :username")
public class ProxyUserEntity {

  @Id
  @SequenceGenerator(name = "proxyUserSeq", sequenceName = "proxy_user_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "proxyUserSeq")
  private Long id;

  @Column(nullable = false, unique = true, length = 64)
  private String username;

  /** The password, sealed with the server key (purpose {@code proxy-user-secret}). */
  @Column(name = "secret_enc", nullable = false, length = 512)
  private String secretEnc;

  @Column(nullable = false)
  private boolean enabled;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "max_connections", nullable = false)
  private int maxConnections;

  @Column(name = "bandwidth_up_bps", nullable = false)
  private long bandwidthUpBps;

  @Column(name = "bandwidth_down_bps", nullable = false)
  private long bandwidthDownBps;

  @Column(name = "connections_per_minute", nullable = false)
  private int connectionsPerMinute;

  /** Comma-separated CIDRs from which this user may connect without a password. */
  @Column(name = "allowed_sources", length = 4000)
  private String allowedSources;

  /** Comma-separated {@code CIDR:ports} entries this user may reach despite the deny list. */
  @Column(name = "allowed_destinations", length = 4000)
  private String allowedDestinations;

  @Column(length = 500)
  private String note;

  /**
   * The pool this user's sessions leave through when the username names none ({@code null}:
   * direct).
   */
  @Column(name = "default_pool_id")
  private Long defaultPoolId;

  /** Comma-separated pool names the user may name in the username ({@code null}: any pool). */
  @Column(name = "allowed_pools", length = 4000)
  private String allowedPools;

  /** Comma-separated CIDRs the user may connect from at all ({@code null}: anywhere). */
  @Column(name = "allowed_clients", length = 4000)
  private String allowedClients;

  public String getAllowedClients() {
    return allowedClients;
  }

  public void setAllowedClients(String allowedClients) {
    this.allowedClients = allowedClients;
  }

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Version private long version;

  public Long getId() {
    return id;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getSecretEnc() {
    return secretEnc;
  }

  public void setSecretEnc(String secretEnc) {
    this.secretEnc = secretEnc;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Instant getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(Instant expiresAt) {
    this.expiresAt = expiresAt;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  public long getBandwidthUpBps() {
    return bandwidthUpBps;
  }

  public void setBandwidthUpBps(long bandwidthUpBps) {
    this.bandwidthUpBps = bandwidthUpBps;
  }

  public long getBandwidthDownBps() {
    return bandwidthDownBps;
  }

  public void setBandwidthDownBps(long bandwidthDownBps) {
    this.bandwidthDownBps = bandwidthDownBps;
  }

  public int getConnectionsPerMinute() {
    return connectionsPerMinute;
  }

  public void setConnectionsPerMinute(int connectionsPerMinute) {
    this.connectionsPerMinute = connectionsPerMinute;
  }

  public String getAllowedSources() {
    return allowedSources;
  }

  public void setAllowedSources(String allowedSources) {
    this.allowedSources = allowedSources;
  }

  public String getAllowedDestinations() {
    return allowedDestinations;
  }

  public void setAllowedDestinations(String allowedDestinations) {
    this.allowedDestinations = allowedDestinations;
  }

  public String getNote() {
    return note;
  }

  public void setNote(String note) {
    this.note = note;
  }

  public String getAllowedPools() {
    return allowedPools;
  }

  public void setAllowedPools(String allowedPools) {
    this.allowedPools = allowedPools;
  }

  public Long getDefaultPoolId() {
    return defaultPoolId;
  }

  public void setDefaultPoolId(Long defaultPoolId) {
    this.defaultPoolId = defaultPoolId;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public void setCreatedAt(Instant createdAt) {
    this.createdAt = createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(Instant updatedAt) {
    this.updatedAt = updatedAt;
  }
}
