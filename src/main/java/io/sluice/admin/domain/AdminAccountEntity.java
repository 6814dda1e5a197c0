package io.sluice.admin.domain;

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

/** An administrator of the Sluice admin API (table {@code admin_account}). */
@Entity
@Table(name = "admin_account")
@NamedQuery(
    name = "Admin.byUsername",
    query = "SELECT a FROM AdminAccountEntity a WHERE a.username = :username")
@NamedQuery(name = "Admin.all", query = "SELECT a FROM AdminAccountEntity a ORDER BY a.id")
@NamedQuery(name = "Admin.count", query = "SELECT COUNT(a) FROM AdminAccountEntity a")
public class AdminAccountEntity {

  @Id
  @SequenceGenerator(name = "adminSeq", sequenceName = "admin_account_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "adminSeq")
  private Long id;

  @Column(nullable = false, unique = true, length = 64)
  private String username;

  @Column(name = "password_hash", nullable = false)
  private String passwordHash;

  @Column(nullable = false, length = 16)
  private String role;

  @Column(nullable = false)
  private boolean enabled;

  @Column(name = "password_change_required", nullable = false)
  private boolean passwordChangeRequired;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "last_login_at")
  private Instant lastLoginAt;

  @Column(name = "totp_secret_enc", length = 512)
  private String totpSecretEnc;

  @Column(name = "totp_pending_enc", length = 512)
  private String totpPendingEnc;

  @Column(name = "totp_enabled", nullable = false)
  private boolean totpEnabled;

  @Version private long version;

  public String getTotpSecretEnc() {
    return totpSecretEnc;
  }

  public void setTotpSecretEnc(String totpSecretEnc) {
    this.totpSecretEnc = totpSecretEnc;
  }

  public String getTotpPendingEnc() {
    return totpPendingEnc;
  }

  public void setTotpPendingEnc(String totpPendingEnc) {
    this.totpPendingEnc = totpPendingEnc;
  }

  public boolean isTotpEnabled() {
    return totpEnabled;
  }

  public void setTotpEnabled(boolean totpEnabled) {
    this.totpEnabled = totpEnabled;
  }

  public Long getId() {
    return id;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPasswordHash() {
    return passwordHash;
  }

  public void setPasswordHash(String passwordHash) {
    this.passwordHash = passwordHash;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isPasswordChangeRequired() {
    return passwordChangeRequired;
  }

  public void setPasswordChangeRequired(boolean passwordChangeRequired) {
    this.passwordChangeRequired = passwordChangeRequired;
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

  public Instant getLastLoginAt() {
    return lastLoginAt;
  }

  public void setLastLoginAt(Instant lastLoginAt) {
    this.lastLoginAt = lastLoginAt;
  }
}
