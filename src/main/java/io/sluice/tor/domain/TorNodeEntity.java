package io.sluice.tor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A tor node as the database lists it (table {@code tor_node}): written by the server that runs it
 * from its supervisor's status, read by every server for {@code GET /api/v1/tor/nodes}.
 */
@Entity
@Table(name = "tor_node")
public class TorNodeEntity {

  @Id
  @SequenceGenerator(name = "torNodeSeq", sequenceName = "tor_node_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "torNodeSeq")
  public Long id;

  @Column(nullable = false, length = 128)
  public String server;

  @Column(name = "node_index", nullable = false)
  public int nodeIndex;

  @Column(nullable = false, length = 16)
  public String state;

  public Long pid;

  @Column(name = "socks_port")
  public Integer socksPort;

  @Column(name = "control_port")
  public Integer controlPort;

  @Column(name = "bootstrap_percent", nullable = false)
  public int bootstrapPercent;

  @Column(length = 200)
  public String countries;

  @Column(name = "exit_name", nullable = false, length = 128)
  public String exitName;

  @Column(name = "exit_ip", length = 64)
  public String exitIp;

  @Column(name = "exit_fingerprint", length = 64)
  public String exitFingerprint;

  @Column(name = "exit_pinned", length = 64)
  public String exitPinned;

  @Column(name = "exit_country", length = 8)
  public String exitCountry;

  @Column(nullable = false, length = 16)
  public String rotation;

  @Column(name = "last_rotation_at")
  public Instant lastRotationAt;

  @Column(nullable = false)
  public int restarts;

  @Column(nullable = false)
  public long newnyms;

  @Column(length = 2000)
  public String error;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
