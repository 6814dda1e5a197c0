package io.sluice.ops;

import static io.sluice.ops.KubernetesManifestChecks.JVM_OPTIONS;
import static io.sluice.ops.KubernetesManifestChecks.SERVER_XML;
import static io.sluice.ops.KubernetesManifestChecks.SOURCES;
import static io.sluice.ops.KubernetesManifestChecks.quantity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the server does, read from its configuration and sources: server.xml variable defaults,
 * {@code @ConfigProperty} defaults, the health endpoints of its mpHealth feature and the kinds of
 * health checks it has.
 */
record ServerFacts(
    Map<String, String> defaults,
    Set<String> healthEndpoints,
    Set<String> checkKinds,
    boolean readsDrainFile,
    long maxHeapBytes) {

  static final Pattern VARIABLE =
      Pattern.compile("<variable name=\"([^\"]+)\" defaultValue=\"([^\"]*)\"/>");
  static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\", defaultValue = \"([^\"]*)\"\\)");
  static final Pattern MP_HEALTH = Pattern.compile("<feature>mpHealth-(\\d+)\\.(\\d+)</feature>");
  static final Pattern CHECK_KIND =
      Pattern.compile("^@(Startup|Readiness|Liveness)\\s*$", Pattern.MULTILINE);

  static ServerFacts read() throws IOException {
    String xml = Files.readString(SERVER_XML);
    Map<String, String> defaults = new TreeMap<>();
    Set<String> kinds = new java.util.TreeSet<>();
    boolean drainFile = false;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
        String src = Files.readString(p);
        Matcher m = CONFIG_PROPERTY.matcher(src);
        while (m.find()) {
          defaults.putIfAbsent(m.group(1), m.group(2));
        }
        if (src.contains("org.eclipse.microprofile.health.HealthCheck")) {
          Matcher k = CHECK_KIND.matcher(src);
          while (k.find()) {
            kinds.add(k.group(1));
          }
          drainFile |= src.contains("@Readiness") && src.contains("name = \"sluice.drain-file\"");
        }
      }
    }
    Matcher v = VARIABLE.matcher(xml);
    while (v.find()) {
      defaults.put(v.group(1), v.group(2));
    }
    Set<String> endpoints = new java.util.TreeSet<>();
    Matcher h = MP_HEALTH.matcher(xml);
    if (h.find()) {
      int version = Integer.parseInt(h.group(1)) * 10 + Integer.parseInt(h.group(2));
      endpoints.addAll(List.of("/health", "/health/live", "/health/ready"));
      if (version >= 31) { // /health/started came with MicroProfile Health 3.1
        endpoints.add("/health/started");
      }
    }
    return new ServerFacts(defaults, endpoints, kinds, drainFile, maxHeap());
  }

  static long maxHeap() throws IOException {
    for (String line : Files.readAllLines(JVM_OPTIONS)) {
      if (line.startsWith("-Xmx")) {
        return quantity(line.substring(4));
      }
    }
    throw new IllegalStateException("no -Xmx in " + JVM_OPTIONS);
  }

  /**
   * The value of a setting with this environment: the variable named like the key (upper case,
   * other characters as underscores, as MicroProfile Config and Liberty read them), else the
   * default.
   */
  String effective(String key, Map<String, String> env) {
    String name = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    String value = env.getOrDefault(name, defaults.get(key));
    if (value == null) {
      throw new IllegalStateException("no default found for " + key);
    }
    return value;
  }
}
