package io.sluice.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structural rules of Sluice, written once over a root package so that {@link ArchitectureTest}
 * checks them on the product ({@code io.sluice}) and proves on a small deliberately broken fixture
 * that each rule can fail.
 *
 * <p>Top-level packages under the root: {@code engine} (the proxy library), {@code agent} (the
 * agent jar), {@code platform} (shared plumbing), {@code gateway} (the composition root), {@code
 * client} and {@code cli} (the typed admin client and the CLI, leaves outside the server) and one
 * package per product feature, each with {@code api}, {@code app}, {@code domain} and {@code infra}
 * layers.
 */
final class SluiceRules {

  /** Top-level packages that are not product features. */
  static final Set<String> NOT_FEATURES =
      Set.of("engine", "agent", "platform", "gateway", "client", "cli");

  private static final String[] ENTERPRISE = {
    "jakarta..", "javax.persistence..", "org.eclipse.microprofile.."
  };

  private final String root;

  SluiceRules(String root) {
    this.root = root;
  }

  private String pkg(String sub) {
    return root + "." + sub;
  }

  /**
   * The feature packages found among {@code classes}: every top-level package that is not
   * infrastructure.
   */
  Set<String> features(JavaClasses classes) {
    Set<String> found = new TreeSet<>();
    for (JavaClass c : classes) {
      String p = c.getPackageName();
      if (p.startsWith(root + ".")) {
        String top = p.substring(root.length() + 1).split("\\.")[0];
        if (!NOT_FEATURES.contains(top)) {
          found.add(top);
        }
      }
    }
    return found;
  }

  /** The engine is a library: no Jakarta EE, JPA or MicroProfile, and nothing of the product. */
  ArchRule engineIsALibrary() {
    return noClasses()
        .that()
        .resideInAPackage(pkg("engine.."))
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(ENTERPRISE)
                .or(resideInAPackage(root + "..").and(not(resideInAPackage(pkg("engine..")))))
                .as("Jakarta EE, JPA, MicroProfile or a product package"))
        .as("the engine imports nothing of the product or of Jakarta EE");
  }

  /** The agent jar carries only the agent, the tunnel codec and the JDK. */
  ArchRule agentIsPlainJdk() {
    return classes()
        .that()
        .resideInAPackage(pkg("agent.."))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            pkg("agent.."), pkg("engine.tunnel.."), "java..", "javax.net..", "javax.security..", "")
        .as("the agent depends on the JDK and the tunnel codec only");
  }

  /** The typed client runs in any JVM: the JDK, the JAX-RS annotations and Jackson only. */
  ArchRule clientIsALeaf() {
    return classes()
        .that()
        .resideInAPackage(pkg("client.."))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            pkg("client.."), "java..", "jakarta.ws.rs..", "com.fasterxml.jackson..", "")
        .as("the typed client depends on the JDK, the JAX-RS annotations and Jackson only")
        .allowEmptyShould(true);
  }

  /** The CLI talks to the server through the typed client only. */
  ArchRule cliIsALeaf() {
    return classes()
        .that()
        .resideInAPackage(pkg("cli.."))
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            pkg("cli.."), pkg("client.."), "picocli..", "java..", "com.fasterxml.jackson..", "")
        .as("the CLI depends on the typed client, picocli, Jackson and the JDK only")
        .allowEmptyShould(true);
  }

  /** Nothing of the server uses the client or the CLI (they ship in their own jars). */
  ArchRule serverUsesNoClientOrCli() {
    return noClasses()
        .that()
        .resideOutsideOfPackages(pkg("client.."), pkg("cli.."))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(pkg("client.."), pkg("cli.."))
        .as("nothing of the server depends on the client or the CLI");
  }

  /** Shared plumbing knows no feature and not the composition root. */
  ArchRule platformImportsNoFeature(JavaClasses classes) {
    List<String> forbidden = new ArrayList<>();
    for (String f : features(classes)) {
      forbidden.add(pkg(f + ".."));
    }
    forbidden.add(pkg("gateway.."));
    forbidden.add(pkg("agent.."));
    return noClasses()
        .that()
        .resideInAPackage(pkg("platform.."))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .as("platform imports no feature")
        .allowEmptyShould(true);
  }

  /** Inside a feature: api -> app -> domain <- infra. */
  ArchRule featureLayers(JavaClasses classes) {
    List<ArchRule> rules = new ArrayList<>();
    for (String f : features(classes)) {
      String api = pkg(f + ".api..");
      String app = pkg(f + ".app..");
      String domain = pkg(f + ".domain..");
      String infra = pkg(f + ".infra..");
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(domain)
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(api, app, infra)
              .as(f + ": domain depends on no other layer")
              .allowEmptyShould(true));
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(app)
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(api, infra)
              .as(f + ": app depends on domain, not on api or infra")
              .allowEmptyShould(true));
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(infra)
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(api, app)
              .as(f + ": infra implements the domain, not app or api")
              .allowEmptyShould(true));
      rules.add(
          classes()
              .that()
              .resideInAPackage(pkg(f + ".."))
              .and()
              .doNotHaveSimpleName("package-info")
              .should()
              .resideInAnyPackage(api, app, domain, infra)
              .as(f + ": every class is in api, app, domain or infra")
              .allowEmptyShould(true));
    }
    return CompositeArchRule.of(rules).as("inside a feature: api -> app -> domain <- infra");
  }

  /**
   * A feature uses another feature only through its {@code app} services and {@code domain} values
   * and events, never its {@code api} or {@code infra}; nothing but the gateway uses the gateway.
   */
  ArchRule featuresMeetThroughAppAndDomain(JavaClasses classes) {
    Set<String> features = features(classes);
    List<ArchRule> rules = new ArrayList<>();
    for (String f : features) {
      List<String> forbidden = new ArrayList<>();
      for (String other : features) {
        if (!other.equals(f)) {
          forbidden.add(pkg(other + ".api.."));
          forbidden.add(pkg(other + ".infra.."));
        }
      }
      forbidden.add(pkg("gateway.."));
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(pkg(f + ".."))
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(forbidden.toArray(String[]::new))
              .as(f + " uses other features only through their app and domain")
              .allowEmptyShould(true));
    }
    List<String> infraAndApi = new ArrayList<>();
    for (String f : features) {
      infraAndApi.add(pkg(f + ".api.."));
      infraAndApi.add(pkg(f + ".infra.."));
    }
    rules.add(
        noClasses()
            .that()
            .resideInAPackage(pkg("gateway.."))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(infraAndApi.toArray(String[]::new))
            .as("the gateway uses features through their app and domain")
            .allowEmptyShould(true));
    return CompositeArchRule.of(rules).as("features meet through app services and domain events");
  }

  /** No cycles between packages. */
  ArchRule noPackageCycles() {
    return slices()
        .matching(root + ".(**)")
        .should()
        .beFreeOfCycles()
        .as("no cycles between packages");
  }

  /** Every rule, for one set of classes. */
  List<ArchRule> all(JavaClasses classes) {
    return List.of(
        engineIsALibrary(),
        agentIsPlainJdk(),
        platformImportsNoFeature(classes),
        featureLayers(classes),
        featuresMeetThroughAppAndDomain(classes),
        clientIsALeaf(),
        cliIsALeaf(),
        serverUsesNoClientOrCli(),
        noPackageCycles());
  }
}
