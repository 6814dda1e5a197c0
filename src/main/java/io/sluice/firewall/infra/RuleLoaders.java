package io.sluice.firewall.infra;

import io.sluice.firewall.domain.RuleLoader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Produces the {@link RuleLoader}: the real tools, in {@code SLUICE_FIREWALL_NETNS} if set. */
@ApplicationScoped
public class RuleLoaders {

  @Inject
  @ConfigProperty(name = "sluice.firewall.netns", defaultValue = " ")
  String netns;

  @Inject
  @ConfigProperty(name = "sluice.firewall.dir", defaultValue = " ")
  String dir;

  @Produces
  @ApplicationScoped
  RuleLoader loader() {
    return new CommandRuleLoader(
        netns.isBlank() ? null : netns.trim(),
        Path.of(dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir.trim()));
  }
}
