package io.sluice.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The checks behind {@link KubernetesManifestsTest}: what is wrong with a set of manifest texts
 * (file name to YAML) for the server read from {@code liberty/server.xml}, {@code
 * liberty/jvm.options} and the sources.
 */
final class KubernetesManifestChecks {

  private KubernetesManifestChecks() {}

  static final Path DIR = Path.of("deploy/k8s");
  static final Path SERVER_XML = Path.of("liberty/server.xml");
  static final Path JVM_OPTIONS = Path.of("liberty/jvm.options");
  static final Path SOURCES = Path.of("src/main/java");
  static final String EXAMPLE_SECRET = "secret.example.yaml";
  static final String KUSTOMIZATION = "kustomization.yaml";

  /**
   * Seconds Liberty needs around the drain: quiesce (about 1 s, up to 30 s only when a feature
   * holds it), stopping the application and the runtime (about 2 s) - measured in the servers'
   * messages.log (CWWKE0085I to CWWKE0036I).
   */
  static final int LIBERTY_STOP_MARGIN = 10;

  /** Container port name -> the server setting that decides the port. */
  static final Map<String, String> PORTS =
      Map.of(
          "http", "http.port",
          "https", "https.port",
          "socks", "sluice.socks.port",
          "http-proxy", "sluice.http-proxy.port");

  /** Which ports each Service must carry. */
  static final Map<String, Set<String>> SERVICES =
      Map.of(
          "sluice-admin", Set.of("http", "https"), "sluice-proxy", Set.of("socks", "http-proxy"));

  /** Probe -> the MicroProfile Health endpoint and the check annotation behind it. */
  static final Map<String, String[]> PROBES =
      Map.of(
          "startupProbe", new String[] {"/health/started", "Startup"},
          "readinessProbe", new String[] {"/health/ready", "Readiness"},
          "livenessProbe", new String[] {"/health/live", "Liveness"});

  // --- the checks ---

  /** Everything wrong with these manifest texts (file name -> YAML) for this server. */
  static List<String> problems(Map<String, String> files, ServerFacts server) {
    List<String> problems = new ArrayList<>();
    Map<String, List<Map<String, Object>>> byKind = new TreeMap<>();
    for (var f : files.entrySet()) {
      if (f.getKey().equals(KUSTOMIZATION)) {
        continue;
      }
      for (Map<String, Object> d : docs(f.getValue())) {
        byKind.computeIfAbsent(String.valueOf(d.get("kind")), k -> new ArrayList<>()).add(d);
      }
    }
    checkKustomization(files, problems);

    List<Map<String, Object>> deployments = byKind.getOrDefault("Deployment", List.of());
    if (deployments.size() != 1) {
      problems.add("expected one Deployment, found " + deployments.size());
      return problems;
    }
    Map<String, Object> deployment = deployments.getFirst();
    Map<String, Object> spec = map(deployment.get("spec"));
    Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
    Map<String, Object> podLabels =
        map(map(map(spec.get("template")).get("metadata")).get("labels"));
    List<Map<String, Object>> containers = list(pod.get("containers"));
    if (containers.size() != 1) {
      problems.add("expected one container, found " + containers.size());
      return problems;
    }
    Map<String, Object> c = containers.getFirst();

    if (!(spec.get("replicas") instanceof Integer r) || r < 2) {
      problems.add("replicas must be at least 2, is " + spec.get("replicas"));
    }
    if (!matches(map(map(spec.get("selector")).get("matchLabels")), podLabels)) {
      problems.add("the Deployment's selector does not match its pod labels");
    }
    if (!Boolean.FALSE.equals(pod.get("enableServiceLinks"))) {
      problems.add(
          "enableServiceLinks must be false: Service links inject SLUICE_* variables that Sluice"
              + " reads as settings");
    }
    if (!Boolean.TRUE.equals(map(pod.get("securityContext")).get("runAsNonRoot"))) {
      problems.add("the pod must set securityContext.runAsNonRoot: true");
    }

    Map<String, Map<String, Object>> configMaps = byName(byKind.get("ConfigMap"));
    Map<String, Map<String, Object>> secrets = byName(byKind.get("Secret"));
    Map<String, String> env = environment(c, configMaps, secrets, problems);

    // Container ports: each is the port the server listens on with this environment.
    Map<String, Integer> containerPorts = new LinkedHashMap<>();
    for (Map<String, Object> p : maps(c.get("ports"))) {
      containerPorts.put(String.valueOf(p.get("name")), (Integer) p.get("containerPort"));
    }
    PORTS.forEach((name, key) -> {
      String expected = server.effective(key, env);
      Integer actual = containerPorts.get(name);
      if (actual == null || !String.valueOf(actual).equals(expected)) {
        problems.add(
            "container port "
                + name
                + " is "
                + actual
                + " but the server listens on "
                + expected
                + " ("
                + key
                + ")");
      }
    });
    String bind = server.effective("sluice.proxy.bind", env);
    if (bind.startsWith("127.") || bind.equals("::1") || bind.equals("localhost")) {
      problems.add(
          "SLUICE_PROXY_BIND is "
              + bind
              + ": the proxy would listen on loopback only and the"
              + " Service could not reach it");
    }
    if (!env.getOrDefault("DB_URL", "").startsWith("jdbc:postgresql:")) {
      problems.add("DB_URL must name PostgreSQL: replicas on embedded H2 share nothing");
    }

    // Probes: the right MicroProfile Health endpoint, over HTTP, on the admin HTTP port.
    PROBES.forEach((probe, want) -> {
      Map<String, Object> get = map(map(c.get(probe)).get("httpGet"));
      String path = String.valueOf(get.get("path"));
      if (!path.equals(want[0]) || !server.healthEndpoints().contains(path)) {
        problems.add(
            probe
                + " path "
                + path
                + " is not "
                + want[0]
                + " among the server's endpoints "
                + server.healthEndpoints());
      }
      if (!server.checkKinds().contains(want[1])) {
        problems.add(probe + ": the server has no @" + want[1] + " health check");
      }
      Integer port = resolve(get.get("port"), containerPorts);
      if (port == null || !String.valueOf(port).equals(server.effective("http.port", env))) {
        problems.add(probe + " port " + get.get("port") + " is not the HTTP port (http.port)");
      }
      if (get.get("scheme") != null && !"HTTP".equals(get.get("scheme"))) {
        problems.add(probe + " scheme must be HTTP");
      }
    });

    // Services: select the pods and carry the ports they are for.
    Map<String, Map<String, Object>> services = byName(byKind.get("Service"));
    SERVICES.forEach((name, wanted) -> {
      Map<String, Object> svc = services.get(name);
      if (svc == null) {
        problems.add("Service " + name + " is missing");
        return;
      }
      Map<String, Object> s = map(svc.get("spec"));
      if (!matches(map(s.get("selector")), podLabels)) {
        problems.add("Service " + name + " selector does not match the pod labels");
      }
      Set<String> seen = new java.util.TreeSet<>();
      for (Map<String, Object> p : maps(s.get("ports"))) {
        Integer target = resolve(p.getOrDefault("targetPort", p.get("port")), containerPorts);
        String portName = String.valueOf(p.get("name"));
        seen.add(portName);
        if (target == null
            || !target.equals(p.get("port"))
            || !target.equals(containerPorts.get(portName))) {
          problems.add(
              "Service "
                  + name
                  + " port "
                  + portName
                  + " ("
                  + p.get("port")
                  + " -> "
                  + p.get("targetPort")
                  + ") does not match container port "
                  + portName
                  + " "
                  + containerPorts.get(portName));
        }
      }
      if (!seen.equals(wanted)) {
        problems.add("Service " + name + " has ports " + seen + ", expected " + wanted);
      }
    });

    // Disruption budget.
    List<Map<String, Object>> pdbs = byKind.getOrDefault("PodDisruptionBudget", List.of());
    if (pdbs.size() != 1) {
      problems.add("expected one PodDisruptionBudget, found " + pdbs.size());
    } else {
      Map<String, Object> s = map(pdbs.getFirst().get("spec"));
      if (!Integer.valueOf(1).equals(s.get("minAvailable"))) {
        problems.add("PodDisruptionBudget minAvailable must be 1");
      }
      if (!matches(map(map(s.get("selector")).get("matchLabels")), podLabels)) {
        problems.add("PodDisruptionBudget selector does not match the Deployment's pod labels");
      }
    }

    checkShutdown(pod, c, env, server, problems);
    checkMemory(c, server, problems);
    return problems;
  }

  /** preStop creates the drain marker, then sleeps; the grace period covers that and the drain. */
  static void checkShutdown(
      Map<String, Object> pod,
      Map<String, Object> c,
      Map<String, String> env,
      ServerFacts server,
      List<String> problems) {
    String marker = env.get("SLUICE_DRAIN_FILE");
    List<Object> command =
        list(map(map(map(c.get("lifecycle")).get("preStop")).get("exec")).get("command"));
    String script = command.isEmpty() ? "" : String.valueOf(command.getLast());
    if (marker == null || !script.contains("touch " + marker)) {
      problems.add(
          "preStop must create the drain marker SLUICE_DRAIN_FILE (" + marker + "): " + script);
    }
    if (!server.readsDrainFile()) {
      problems.add("the server has no readiness check reading sluice.drain-file");
    }
    Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(script);
    int preStop = sleep.find() ? Integer.parseInt(sleep.group(1)) : 0;
    int drain = Integer.parseInt(server.effective("sluice.proxy.drain-seconds", env));
    int needed = preStop + drain + LIBERTY_STOP_MARGIN;
    if (!(pod.get("terminationGracePeriodSeconds") instanceof Integer grace) || grace < needed) {
      problems.add(
          "terminationGracePeriodSeconds "
              + pod.get("terminationGracePeriodSeconds")
              + " must be at least preStop "
              + preStop
              + " + drain "
              + drain
              + " + "
              + LIBERTY_STOP_MARGIN
              + " = "
              + needed);
    }
  }

  /** The memory limit holds the heap of jvm.options plus at least 256 MiB for the rest. */
  static void checkMemory(Map<String, Object> c, ServerFacts server, List<String> problems) {
    Object limit = map(map(c.get("resources")).get("limits")).get("memory");
    long bytes = limit == null ? 0 : quantity(String.valueOf(limit));
    long needed = server.maxHeapBytes() + (256L << 20);
    if (bytes < needed) {
      problems.add(
          "resources.limits.memory "
              + limit
              + " is below -Xmx plus 256Mi ("
              + (needed >> 20)
              + "Mi)");
    }
  }

  /** Every manifest is listed in the kustomization except the example Secret, and vice versa. */
  static void checkKustomization(Map<String, String> files, List<String> problems) {
    Map<String, Object> k =
        docs(files.getOrDefault(KUSTOMIZATION, "")).stream().findFirst().orElse(Map.of());
    Set<String> listed = new java.util.TreeSet<>();
    list(k.get("resources")).forEach(r -> listed.add(String.valueOf(r)));
    Set<String> present = new java.util.TreeSet<>(files.keySet());
    present.remove(KUSTOMIZATION);
    present.remove(EXAMPLE_SECRET);
    if (!listed.equals(present)) {
      problems.add("kustomization.yaml lists " + listed + " but the manifests are " + present);
    }
  }

  /**
   * The container's environment: ConfigMaps and Secrets of envFrom, then env (which wins), with
   * every referenced key checked against the ConfigMap and the example Secret.
   */
  static Map<String, String> environment(
      Map<String, Object> c,
      Map<String, Map<String, Object>> configMaps,
      Map<String, Map<String, Object>> secrets,
      List<String> problems) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> from : maps(c.get("envFrom"))) {
      String cm = String.valueOf(map(from.get("configMapRef")).get("name"));
      if (from.containsKey("configMapRef")) {
        if (!configMaps.containsKey(cm)) {
          problems.add("envFrom names ConfigMap " + cm + ", which is not in deploy/k8s");
        } else {
          map(configMaps.get(cm).get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
      }
      if (from.containsKey("secretRef")) {
        problems.add("envFrom secretRef: name each secret key instead");
      }
    }
    for (Map<String, Object> e : maps(c.get("env"))) {
      String name = String.valueOf(e.get("name"));
      if (e.containsKey("value")) {
        env.put(name, String.valueOf(e.get("value")));
        continue;
      }
      Map<String, Object> from = map(e.get("valueFrom"));
      Map<String, Object> ref;
      Map<String, Map<String, Object>> pool;
      String values;
      if (from.containsKey("secretKeyRef")) {
        ref = map(from.get("secretKeyRef"));
        pool = secrets;
        values = "stringData";
      } else if (from.containsKey("configMapKeyRef")) {
        ref = map(from.get("configMapKeyRef"));
        pool = configMaps;
        values = "data";
      } else {
        problems.add("env " + name + " has neither a value nor a key reference");
        continue;
      }
      String owner = String.valueOf(ref.get("name"));
      String key = String.valueOf(ref.get("key"));
      Map<String, Object> found = map(pool.getOrDefault(owner, Map.of()).get(values));
      if (!found.containsKey(key)) {
        problems.add(
            "env "
                + name
                + " reads key "
                + key
                + " of "
                + owner
                + ", which the example "
                + owner
                + " does not have");
      } else {
        env.put(name, String.valueOf(found.get(key)));
      }
    }
    return env;
  }

  // --- helpers ---

  static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> docs(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (d != null) {
        docs.add((Map<String, Object>) d);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> list(Object o) {
    return o instanceof List<?> l ? (List<T>) l : List.of();
  }

  static List<Map<String, Object>> maps(Object o) {
    List<Map<String, Object>> maps = new ArrayList<>();
    list(o).forEach(e -> maps.add(map(e)));
    return maps;
  }

  static Map<String, Map<String, Object>> byName(List<Map<String, Object>> docs) {
    Map<String, Map<String, Object>> named = new TreeMap<>();
    for (Map<String, Object> d : docs == null ? List.<Map<String, Object>>of() : docs) {
      named.put(String.valueOf(map(d.get("metadata")).get("name")), d);
    }
    return named;
  }

  /** Every label the selector asks for is on the pod. */
  static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(
                e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
  }

  /** A port given by number or by the container port's name. */
  static Integer resolve(Object port, Map<String, Integer> containerPorts) {
    return port instanceof Integer i ? i : containerPorts.get(String.valueOf(port));
  }

  /** Bytes of a Kubernetes quantity or JVM size: 1536Mi, 1Gi, 1g, 512m. */
  static long quantity(String q) {
    Matcher m = Pattern.compile("(\\d+)([KkMmGg]i?)?").matcher(q.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + q);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }
}
