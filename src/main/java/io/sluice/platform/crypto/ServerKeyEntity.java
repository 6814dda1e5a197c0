package io.sluice.platform.crypto;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A key or check value shared by every node (table {@code server_key}), sealed at rest. */
@Entity
@Table(name = "server_key")
public class ServerKeyEntity {

  @Id
  @Column(length = 64)
  private String name;

  @Column(name = "value_enc", nullable = false, length = 8000)
  private String valueEnc;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected ServerKeyEntity() {}

  public ServerKeyEntity(String name, String valueEnc, Instant createdAt) {
    this.name = name;
    this.valueEnc = valueEnc;
    this.createdAt = createdAt;
  }

  public String getName() {
    return name;
  }

  public String getValueEnc() {
    return valueEnc;
  }
}
