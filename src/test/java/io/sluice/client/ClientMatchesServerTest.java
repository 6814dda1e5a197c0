package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client and the server's JAX-RS resources (the source of the OpenAPI document at {@code
 * /openapi}) have the same operations: every {@code METHOD path} of a server resource has exactly
 * one client method and the other way round, and the client sends only query parameters the server
 * reads. Neither side may be a subset: a new endpoint needs its client method in the same change.
 * Path parameter names may differ ({@code {id}} vs {@code {job}}); their positions may not.
 */
class ClientMatchesServerTest {

  static Map<String, Method> server;
  static Map<String, Method> client;

  @BeforeAll
  static void scan() throws ClassNotFoundException {
    server = new TreeMap<>();
    client = new TreeMap<>();
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sluice");
    for (JavaClass jc : classes) {
      if (!jc.isAnnotatedWith(Path.class)) {
        continue;
      }
      Class<?> c =
          Class.forName(jc.getName(), false, ClientMatchesServerTest.class.getClassLoader());
      boolean isClient = c.getPackageName().equals("io.sluice.client");
      if (isClient != c.isInterface()) {
        throw new AssertionError(c + ": server resources are classes, client APIs interfaces");
      }
      for (Method m : c.getMethods()) {
        String verb = RestProxy.httpMethod(m);
        if (verb == null || (!isClient && Modifier.isStatic(m.getModifiers()))) {
          continue;
        }
        String key = verb + " " + normalise(RestProxy.pathTemplate(c, m));
        Method before = (isClient ? client : server).put(key, m);
        assertThat(before).as("two methods for " + key + ": " + before + ", " + m).isNull();
      }
    }
  }

  static String normalise(String path) {
    String p = path.replaceAll("\\{[^}]*}", "{}");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  @Test
  void foundBothSides() {
    assertThat(server).containsKey("GET /v1/users").hasSizeGreaterThan(100);
    assertThat(client).containsKey("GET /v1/users");
  }

  @Test
  void everyServerOperationHasAClientMethod() {
    Set<String> missing = new TreeSet<>(server.keySet());
    missing.removeAll(client.keySet());
    assertThat(missing).as("server operations without a client method").isEmpty();
  }

  @Test
  void everyClientMethodExistsOnTheServer() {
    Set<String> extra = new TreeSet<>(client.keySet());
    extra.removeAll(server.keySet());
    assertThat(extra).as("client methods the server does not have").isEmpty();
  }

  @Test
  void clientQueryParametersAreReadByTheServer() {
    for (var e : client.entrySet()) {
      Method s = server.get(e.getKey());
      if (s == null) {
        continue;
      }
      assertThat(queryParams(s))
          .as("query parameters of " + e.getKey())
          .containsAll(queryParams(e.getValue()));
    }
  }

  @Test
  void normalisingKeepsPositions() {
    assertThat(normalise("/v1/exits/monitor/{action: start|stop}"))
        .isEqualTo("/v1/exits/monitor/{}");
    assertThat(normalise("/v1/vms/{id}/forwards/")).isEqualTo("/v1/vms/{}/forwards");
  }

  private static Set<String> queryParams(Method m) {
    Set<String> names = new TreeSet<>();
    for (Parameter p : m.getParameters()) {
      QueryParam q = p.getAnnotation(QueryParam.class);
      if (q != null) {
        names.add(q.value());
      }
    }
    return names;
  }
}
