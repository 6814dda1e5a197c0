package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A proxy provider: host, credentials and a port range where each port is one sticky exit. */
@Entity
@Table(name = "provider")
public class ProviderEntity {

  @Id
  @SequenceGenerator(name = "providerSeq", sequenceName = "provider_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "providerSeq")
  public Long id;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(nullable = false, length = 16)
  public String kind;

  @Column(nullable = false)
  public String host;

  @Column(name = "port_from", nullable = false)
  public int portFrom;

  @Column(name = "port_to", nullable = false)
  public int portTo;

  public String username;

  @Column(name = "password_enc", length = 1024)
  public String passwordEnc;

  @Column(length = 2)
  public String country;

  /**
   * Template of the username sent upstream, rendered per connection ({@code
   * acct42-session-{session}-country-{country}}, see {@link UpstreamUsernameTemplate}); {@code
   * null}: the fixed {@code username}.
   */
  @Column(name = "upstream_username_template", length = 255)
  public String upstreamUsernameTemplate;

  @Column(name = "check_url", length = 2000)
  public String checkUrl;

  @Column(name = "checks_per_second", nullable = false)
  public int checksPerSecond;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version public long version;
}
