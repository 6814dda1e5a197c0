package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sluice's structure, enforced (docs/architecture.md "Rules"): the engine is a library, the agent
 * is plain JDK, platform imports no feature, inside a feature {@code api -> app -> domain <-
 * infra}, features meet through {@code app} and {@code domain}, the typed client and the CLI are
 * leaves that know nothing of the server, and packages have no cycles. The second half runs the
 * same rules on {@code io.sluice.architecture.fixture}, a tiny code base that breaks each of them
 * on purpose, so a rule that stopped seeing violations fails here.
 */
class ArchitectureTest {

  static JavaClasses product;
  static JavaClasses broken;
  static final SluiceRules SLUICE = new SluiceRules("io.sluice");
  static final SluiceRules FIXTURE = new SluiceRules("io.sluice.architecture.fixture");

  @BeforeAll
  static void importClasses() {
    product =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sluice");
    broken = new ClassFileImporter().importPackages("io.sluice.architecture.fixture");
  }

  @Test
  void theProductHasItsFeatures() {
    assertThat(SLUICE.features(product))
        .contains("users", "exits", "tunnels", "admin", "audit", "exports", "settings");
  }

  @Test
  void engineIsALibrary() {
    SLUICE.engineIsALibrary().check(product);
  }

  @Test
  void agentIsPlainJdk() {
    SLUICE.agentIsPlainJdk().check(product);
  }

  @Test
  void platformImportsNoFeature() {
    SLUICE.platformImportsNoFeature(product).check(product);
  }

  @Test
  void featureLayers() {
    SLUICE.featureLayers(product).check(product);
  }

  @Test
  void featuresMeetThroughAppAndDomain() {
    SLUICE.featuresMeetThroughAppAndDomain(product).check(product);
  }

  @Test
  void clientIsALeaf() {
    SLUICE.clientIsALeaf().check(product);
  }

  @Test
  void cliIsALeaf() {
    SLUICE.cliIsALeaf().check(product);
  }

  @Test
  void serverUsesNoClientOrCli() {
    SLUICE.serverUsesNoClientOrCli().check(product);
  }

  @Test
  void noPackageCycles() {
    SLUICE.noPackageCycles().check(product);
  }

  // --- each rule fails on the deliberately broken fixture ------------------------------------

  static void assertViolated(ArchRule rule, String... expected) {
    EvaluationResult r = rule.evaluate(broken);
    assertThat(r.hasViolation()).as(rule.getDescription()).isTrue();
    String report = String.join("\n", r.getFailureReport().getDetails());
    for (String e : expected) {
      assertThat(report).contains(e);
    }
  }

  @Test
  void brokenEngineIsCaught() {
    assertViolated(
        FIXTURE.engineIsALibrary(),
        "engine.LeakyEngine",
        "jakarta.inject.Inject",
        "shop.domain.Item");
  }

  @Test
  void brokenAgentIsCaught() {
    assertViolated(FIXTURE.agentIsPlainJdk(), "agent.ChattyAgent");
  }

  @Test
  void brokenPlatformIsCaught() {
    assertViolated(
        FIXTURE.platformImportsNoFeature(broken), "platform.Helper", "shop.app.ShopService");
  }

  @Test
  void brokenLayersAreCaught() {
    assertViolated(
        FIXTURE.featureLayers(broken),
        "shop.domain.Item",
        "shop.infra.ItemTable",
        "shop.app.ShopService",
        "shop.Loose");
  }

  @Test
  void brokenFeatureBoundariesAreCaught() {
    assertViolated(
        FIXTURE.featuresMeetThroughAppAndDomain(broken),
        "billing.app.Invoices",
        "shop.infra.ItemTable");
  }

  @Test
  void brokenClientAndCliAreCaught() {
    assertViolated(FIXTURE.clientIsALeaf(), "client.LeakyClient", "platform.Helper");
    assertViolated(FIXTURE.cliIsALeaf(), "cli.LeakyCli", "shop.app.ShopService");
    assertViolated(FIXTURE.serverUsesNoClientOrCli(), "billing.app.UsesCli", "cli.LeakyCli");
  }

  @Test
  void brokenCyclesAreCaught() {
    assertViolated(FIXTURE.noPackageCycles(), "Cycle detected", "shop.api", "shop.app");
  }
}
