package io.sluice.firewall.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A port forward (table {@code vm_port_forward}): {@code protocol publicPort} -> VM:vmPort. */
@Entity
@Table(name = "vm_port_forward")
public class PortForwardEntity {

  @Id public Long id;

  @Column(name = "vm_id", nullable = false)
  public long vmId;

  /** {@code tcp} or {@code udp}. */
  @Column(nullable = false, length = 3)
  public String protocol;

  @Column(name = "public_port", nullable = false)
  public int publicPort;

  @Column(name = "vm_port", nullable = false)
  public int vmPort;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
