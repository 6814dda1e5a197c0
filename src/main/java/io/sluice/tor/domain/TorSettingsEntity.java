package io.sluice.tor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The fleet's settings (table {@code tor_settings}, one row): how many nodes each server runs, the
 * automatic rotation interval, exit countries (for the fleet, and per node index), extra torrc
 * lines (allow-listed) and the no-repeat window.
 */
@Entity
@Table(name = "tor_settings")
public class TorSettingsEntity {

  @Id public Integer id;

  @Column(nullable = false)
  public int size;

  @Column(name = "rotation_interval_seconds", nullable = false)
  public int rotationIntervalSeconds;

  /** Comma-separated country codes for every node, or null for any. */
  @Column(length = 1000)
  public String countries;

  /** {@code index=cc,cc;index=cc} overrides per node index, or null. */
  @Column(name = "node_countries", length = 4000)
  public String nodeCountries;

  /** Extra torrc lines, one per line, or null. */
  @Column(name = "extra_lines", length = 8000)
  public String extraLines;

  @Column(name = "no_repeat_window", nullable = false)
  public int noRepeatWindow;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
