package io.sluice.platform.db;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** What start-up achieved, for the health checks. */
@ApplicationScoped
public class SystemStatus {

  /** Result of applying the Flyway migrations at start-up. */
  public record Migrations(boolean applied, String schemaVersion, int appliedNow, String error) {}

  private final AtomicReference<Migrations> migrations = new AtomicReference<>();
  private final AtomicReference<String> startupError = new AtomicReference<>();
  private volatile boolean started;
  private volatile String databaseProduct = "unknown";

  public Optional<Migrations> migrations() {
    return Optional.ofNullable(migrations.get());
  }

  public void migrations(Migrations m) {
    migrations.set(m);
  }

  public boolean started() {
    return started;
  }

  public void markStarted() {
    started = true;
  }

  public Optional<String> startupError() {
    return Optional.ofNullable(startupError.get());
  }

  public void startupError(String error) {
    startupError.set(error);
  }

  public String databaseProduct() {
    return databaseProduct;
  }

  public void databaseProduct(String product) {
    databaseProduct = product;
  }

  public boolean embeddedDatabase() {
    return databaseProduct.toLowerCase(java.util.Locale.ROOT).contains("h2");
  }
}
