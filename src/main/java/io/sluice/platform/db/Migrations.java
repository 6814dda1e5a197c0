package io.sluice.platform.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations from {@code classpath:db/migration} before anything uses JPA. On
 * PostgreSQL Flyway serialises concurrent nodes with an advisory lock, so several Sluice servers
 * starting at once against one database migrate it exactly once.
 */
@ApplicationScoped
public class Migrations {

  private static final Logger LOG = System.getLogger(Migrations.class.getName());

  private static final String LOCATION = "db/migration";

  @Resource(lookup = "jdbc/sluice")
  private DataSource dataSource;

  public SystemStatus.Migrations migrate(ServletContext servletContext) {
    try {
      UrlListResourceProvider resources = listMigrations(servletContext, vendor());
      if (resources.size() == 0) {
        throw new IllegalStateException("no migrations found in WEB-INF/classes/" + LOCATION);
      }
      Flyway flyway =
          Flyway.configure(Migrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations("classpath:" + LOCATION)
              .resourceProvider(resources)
              .validateMigrationNaming(true)
              .load();
      int known = flyway.info().all().length;
      if (known == 0) {
        throw new IllegalStateException(
            "no migrations found on the class path at db/migration (class loader scanning failed)");
      }
      MigrateResult result = flyway.migrate();
      if ("h2".equals(vendor())) {
        H2StringChecks.drop(dataSource);
      }
      String version =
          flyway.info().current() == null
              ? "none"
              : flyway.info().current().getVersion().toString();
      LOG.log(
          Level.INFO,
          "SLUICE0001I: database schema at version {0} ({1} migration(s) applied now, {2} known)",
          new Object[] {version, result.migrationsExecuted, known});
      return new SystemStatus.Migrations(true, version, result.migrationsExecuted, null);
    } catch (RuntimeException | MalformedURLException | java.sql.SQLException e) {
      LOG.log(Level.ERROR, "SLUICE0002E: database migration failed: " + e.getMessage(), e);
      return new SystemStatus.Migrations(false, null, 0, e.getMessage());
    }
  }

  /** Lists the migration scripts through the servlet context (works for WARs and loose apps). */
  private static UrlListResourceProvider listMigrations(
      ServletContext servletContext, String vendor) throws MalformedURLException {
    Map<String, URL> files = new TreeMap<>();
    add(servletContext, "/WEB-INF/classes/" + LOCATION + "/", files);
    // Database-specific migrations (e.g. PostgreSQL triggers) live in db/vendor/<vendor>/.
    add(servletContext, "/WEB-INF/classes/db/vendor/" + vendor + "/", files);
    return new UrlListResourceProvider(LOCATION, files);
  }

  private static void add(ServletContext servletContext, String dir, Map<String, URL> files)
      throws MalformedURLException {
    Set<String> paths = servletContext.getResourcePaths(dir);
    if (paths != null) {
      for (String path : paths) {
        if (path.endsWith(".sql")) {
          files.put(path.substring(path.lastIndexOf('/') + 1), servletContext.getResource(path));
        }
      }
    }
  }

  private String vendor() {
    String product = databaseProduct().toLowerCase(java.util.Locale.ROOT);
    return product.startsWith("postgresql")
        ? "postgresql"
        : product.startsWith("h2") ? "h2" : "other";
  }

  public String databaseProduct() {
    try (var c = dataSource.getConnection()) {
      var md = c.getMetaData();
      return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
    } catch (java.sql.SQLException e) {
      return "unreachable: " + e.getMessage();
    }
  }
}
