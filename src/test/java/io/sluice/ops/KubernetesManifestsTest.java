package io.sluice.ops;

import static io.sluice.ops.KubernetesManifestChecks.DIR;
import static io.sluice.ops.KubernetesManifestChecks.EXAMPLE_SECRET;
import static io.sluice.ops.KubernetesManifestChecks.docs;
import static io.sluice.ops.KubernetesManifestChecks.map;
import static io.sluice.ops.KubernetesManifestChecks.problems;
import static io.sluice.ops.KubernetesManifestChecks.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.platform.crypto.SecretBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kubernetes manifests under {@code deploy/k8s} against the server they run: probe paths are
 * health endpoints of the MicroProfile Health feature in {@code liberty/server.xml} and of the
 * right kind, container and Service ports are the ports the server listens on with the environment
 * the manifests set (defaults from {@code server.xml} and {@code ProxySettings}), the proxy binds
 * beyond loopback, every Secret and ConfigMap key used exists in the example files, selectors match
 * the pod labels, and the shutdown fits in the grace period. The parameterised test breaks one
 * thing at a time in a copy and expects the check to say so.
 */
@Timeout(60)
class KubernetesManifestsTest {

  @Test
  void theManifestsMatchTheServer() throws IOException {
    assertThat(problems(read(DIR), ServerFacts.read())).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          deployment.yaml     | containerPort: 1080              | containerPort: 1081             | port socks
          deployment.yaml     | containerPort: 9080              | containerPort: 8080             | port http
          deployment.yaml     | path: /health/ready              | path: /health/readiness         | readinessProbe
          deployment.yaml     | path: /health/started            | path: /health/live              | startupProbe
          deployment.yaml     | port: http                       | port: socks                     | Probe
          deployment.yaml     | value: 0.0.0.0                   | value: 127.0.0.1                | SLUICE_PROXY_BIND
          deployment.yaml     | terminationGracePeriodSeconds: 45 | terminationGracePeriodSeconds: 15 | terminationGracePeriodSeconds
          deployment.yaml     | value: "10"                      | value: "40"                     | terminationGracePeriodSeconds
          deployment.yaml     | replicas: 2                      | replicas: 1                     | replicas
          deployment.yaml     | key: SLUICE_SECRET_KEY           | key: SECRET_KEY                 | SECRET_KEY
          deployment.yaml     | touch /tmp/sluice-draining       | touch /tmp/drain                | preStop
          deployment.yaml     | enableServiceLinks: false        | enableServiceLinks: true        | enableServiceLinks
          deployment.yaml     | memory: 1536Mi                   | memory: 1Gi                     | limits.memory
          service-proxy.yaml  | port: 3128                       | port: 3129                      | http-proxy
          service-admin.yaml  | component: gateway               | component: api                  | selector
          pdb.yaml            | component: gateway               | component: api                  | PodDisruptionBudget
          secret.example.yaml | DB_PASSWORD: CHANGE-ME           | DB_PASS: CHANGE-ME              | DB_PASSWORD
          configmap.yaml      | jdbc:postgresql:                 | jdbc:h2:                        | DB_URL
          kustomization.yaml  | '  - pdb.yaml'                   | ''                              | pdb.yaml
          """)
  void aBrokenCopyIsCaught(String file, String from, String to, String expected)
      throws IOException {
    Map<String, String> files = read(DIR);
    String text = files.get(file);
    assertThat(text).as(file).contains(from);
    files.put(file, text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)));
    assertThat(problems(files, ServerFacts.read()))
        .as("problems")
        .anyMatch(p -> p.contains(expected));
  }

  @Test
  void thePlaceholderServerKeyIsRefusedAtStart() throws IOException {
    Map<String, Object> secret = docs(read(DIR).get(EXAMPLE_SECRET)).getFirst();
    String key = String.valueOf(map(secret.get("stringData")).get("SLUICE_SECRET_KEY"));
    assertThat(key).contains("CHANGE-ME");
    assertThatThrownBy(() -> SecretBox.parseKey(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kustomizeBuildsTheDirectory() throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl not on PATH: kustomize build not checked");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", DIR.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> kinds = docs(out).stream().map(d -> String.valueOf(d.get("kind"))).toList();
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "ConfigMap", "Deployment", "Service", "Service", "PodDisruptionBudget");
    assertThat(out).doesNotContain("kind: Secret").contains("image: sluice:latest");
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
