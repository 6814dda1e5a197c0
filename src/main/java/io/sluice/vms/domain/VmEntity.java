package io.sluice.vms.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A VM (table {@code vm}): its owner, type, state and the addresses allocated to it. The id is
 * taken from {@code vm_seq} before the row is stored, because the allocator records it with each
 * address.
 */
@Entity
@Table(name = "vm")
public class VmEntity {

  /** The VM kinds the orchestrator runs. */
  public static final String TYPE_CLI = "cli";

  public static final String TYPE_BROWSER = "browser";

  /** A running VM; sessions may start on it. */
  public static final String STATE_ACTIVE = "active";

  /** A stopped VM keeps its addresses; it has no open sessions. */
  public static final String STATE_STOPPED = "stopped";

  @Id public Long id;

  @Column(name = "user_id", nullable = false)
  public long userId;

  @Column(nullable = false, length = 64)
  public String name;

  /** {@code cli} or {@code browser} (column {@code type}; TYPE is a JPQL reserved word). */
  @Column(name = "type", nullable = false, length = 16)
  public String vmType;

  @Column(nullable = false, length = 16)
  public String state;

  @Column(name = "ipv4_pool_id", nullable = false)
  public long ipv4PoolId;

  @Column(name = "ipv4_address", nullable = false, length = 15)
  public String ipv4Address;

  @Column(name = "ipv4_prefix_length", nullable = false)
  public int ipv4PrefixLength;

  @Column(name = "ipv4_gateway", length = 15)
  public String ipv4Gateway;

  /** {@code null} when the VM has no dedicated IPv6 address (then all ipv6 fields are null). */
  @Column(name = "ipv6_pool_id")
  public Long ipv6PoolId;

  @Column(name = "ipv6_address", length = 39)
  public String ipv6Address;

  @Column(name = "ipv6_prefix_length")
  public Integer ipv6PrefixLength;

  @Column(name = "ipv6_gateway", length = 39)
  public String ipv6Gateway;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
