package io.sluice.tor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** An exit a node had after a rotation (table {@code tor_exit_seen}): the exit history. */
@Entity
@Table(name = "tor_exit_seen")
public class TorExitSeenEntity {

  @Id
  @SequenceGenerator(
      name = "torExitSeenSeq",
      sequenceName = "tor_exit_seen_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "torExitSeenSeq")
  public Long id;

  @Column(nullable = false, length = 128)
  public String server;

  @Column(name = "node_index", nullable = false)
  public int nodeIndex;

  @Column(nullable = false, length = 64)
  public String ip;

  @Column(length = 64)
  public String fingerprint;

  @Column(length = 8)
  public String country;

  @Column(name = "seen_at", nullable = false)
  public Instant seenAt;
}
