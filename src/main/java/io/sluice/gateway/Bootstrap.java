package io.sluice.gateway;

import io.sluice.admin.app.AdminService;
import io.sluice.admin.app.JwtService;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.db.Migrations;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.platform.db.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Start-up in a fixed order: migrate the schema (before anything touches JPA), load the server key,
 * load or create the JWT signing key, create the first admin. A failure is logged with its reason
 * and fails the application start, so a misconfigured node never serves.
 */
@ApplicationScoped
public class Bootstrap {

  private static final Logger LOG = System.getLogger(Bootstrap.class.getName());

  @Inject Migrations migrations;
  @Inject ServerKeys serverKeys;
  @Inject JwtService jwt;
  @Inject AdminService admins;
  @Inject SystemStatus status;
  @Inject jakarta.enterprise.event.Event<SluiceStarted> started;

  void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext servletContext) {
    status.databaseProduct(migrations.databaseProduct());
    SystemStatus.Migrations m = migrations.migrate(servletContext);
    status.migrations(m);
    if (!m.applied()) {
      status.startupError("database migration failed: " + m.error());
      throw new IllegalStateException(
          "SLUICE0005E: start-up stopped: database migration failed: " + m.error());
    }
    try {
      serverKeys.init(status.embeddedDatabase());
      jwt.init();
      admins.ensureBootstrapAdmin();
    } catch (RuntimeException e) {
      status.startupError(e.getMessage());
      LOG.log(Level.ERROR, "SLUICE0003E: start-up failed: " + e.getMessage(), e);
      throw e;
    }
    status.markStarted();
    started.fire(new SluiceStarted(status.embeddedDatabase()));
    LOG.log(Level.INFO, "SLUICE0004I: Sluice started on {0}", status.databaseProduct());
  }
}
