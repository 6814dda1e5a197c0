package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.sluice.client.SluiceClient;
import io.sluice.client.UsersApi;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped artefacts as real processes: the {@code scripts/sluice} launcher and {@code java -jar
 * target/sluice-cli.jar}, with exit codes and output read from the process; the typed client
 * against the server; and the client against the server's live OpenAPI document.
 */
class CliProcessIT {

  static final String SCRIPT = System.getProperty("sluice.it.cli.script", "scripts/sluice");
  static final String JAR = System.getProperty("sluice.it.cli.jar", "target/sluice-cli.jar");

  @TempDir java.nio.file.Path home;

  record Proc(int code, String out, String err) {}

  Proc exec(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CONFIG_HOME", home.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("SLUICE_TOKEN");
    pb.environment().putAll(env);
    java.nio.file.Path out = home.resolve("out.txt");
    java.nio.file.Path err = home.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  Map<String, String> tokenEnv() {
    return Map.of("SLUICE_URL", Api.BASE, "SLUICE_TOKEN", Api.adminToken());
  }

  @Test
  void theLauncherScriptListsUsersAsJson() throws Exception {
    String name = Api.unique("procu");
    Api.admin().body(Map.of("username", name)).post("/api/v1/users").then().statusCode(201);
    Proc p = exec(tokenEnv(), SCRIPT, "-o", "json", "users", "list", "--filter", name);
    assertThat(p.code()).as(p.toString()).isZero();
    JsonNode list = CliRunner.JSON.readTree(p.out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("username").asText()).isEqualTo(name);
  }

  @Test
  void theJarExitsWith5AndTheProblemOnA404() throws Exception {
    Proc p =
        exec(
            tokenEnv(),
            System.getProperty("java.home") + "/bin/java",
            "-jar",
            JAR,
            "users",
            "show",
            "999999999");
    assertThat(p.code()).as(p.toString()).isEqualTo(5);
    assertThat(p.out()).isEmpty();
    assertThat(p.err()).startsWith("error: ").contains("(HTTP 404, not-found)");
  }

  @Test
  void theLauncherWithoutALoginExitsWith3() throws Exception {
    Proc p = exec(Map.of("SLUICE_URL", Api.BASE), SCRIPT, "stats");
    assertThat(p.code()).as(p.toString()).isEqualTo(3);
    assertThat(p.err()).contains("not logged in");
  }

  @Test
  void bashLoadsTheGeneratedCompletion() throws Exception {
    Proc p =
        exec(
            Map.of(),
            "bash",
            "-c",
            "source <(\"$0\" completion bash) && complete -p sluice",
            SCRIPT);
    assertThat(p.code()).as(p.toString()).isZero();
    assertThat(p.out()).contains("complete").contains("sluice");
  }

  @Test
  void theTypedClientReadsWhatTheServerSends() {
    SluiceClient client = SluiceClient.builder().server(Api.BASE).token(Api.adminToken()).build();
    String name = Api.unique("typed");
    UsersApi.WithPassword created = client.users().create(UsersApi.NewUser.named(name));
    assertThat(created.user().username()).isEqualTo(name);
    assertThat(created.user().enabled()).isTrue();
    assertThat(created.user().createdAt()).isNotBlank();
    assertThat(client.users().list(name, 0, 10).items())
        .extracting(UsersApi.User::id)
        .containsExactly(created.user().id());
    client.users().delete(created.user().id());
    try {
      client.users().get(created.user().id());
      throw new AssertionError("a deleted user was found");
    } catch (io.sluice.client.SluiceApiException e) {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.problem().name()).isEqualTo("not-found");
      assertThat(e.problem().title()).isNotBlank();
    }
  }

  /**
   * The live OpenAPI document and the client interfaces name the same operations (under /api/v1;
   * probes, metrics and /export are not part of the admin API). The unit test
   * ClientMatchesServerTest checks the same against the JAX-RS annotations at build time.
   */
  @Test
  void theOpenApiDocumentAndTheClientAgree() throws IOException {
    String doc =
        Api.anon()
            .accept("application/json")
            .get("/openapi?format=JSON")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Files.writeString(java.nio.file.Path.of("target", "openapi-seen-by-cli-it.json"), doc);
    JsonNode paths = CliRunner.JSON.readTree(doc.getBytes(StandardCharsets.UTF_8)).get("paths");
    Set<String> server = new TreeSet<>();
    paths
        .properties()
        .forEach(e -> {
          if (e.getKey().startsWith("/api/v1/")) {
            e.getValue()
                .fieldNames()
                .forEachRemaining(verb -> {
                  if (Set.of("get", "post", "put", "patch", "delete").contains(verb)) {
                    server.add(verb.toUpperCase(Locale.ROOT) + " " + norm(e.getKey()));
                  }
                });
          }
        });
    Set<String> client = new TreeSet<>();
    for (JavaClass jc : new ClassFileImporter().importPackages("io.sluice.client")) {
      if (!jc.isInterface() || !jc.isAnnotatedWith(Path.class)) {
        continue;
      }
      Class<?> api = jc.reflect();
      for (Method m : api.getMethods()) {
        String verb = null;
        for (Annotation a : m.getAnnotations()) {
          HttpMethod hm = a.annotationType().getAnnotation(HttpMethod.class);
          if (hm != null) {
            verb = hm.value();
          }
        }
        if (verb == null) {
          continue;
        }
        Path mp = m.getAnnotation(Path.class);
        String p =
            "/api" + api.getAnnotation(Path.class).value() + (mp == null ? "" : slash(mp.value()));
        client.add(verb + " " + norm(p));
      }
    }
    List<String> onlyServer = new ArrayList<>(server);
    onlyServer.removeAll(client);
    List<String> onlyClient = new ArrayList<>(client);
    onlyClient.removeAll(server);
    assertThat(server).hasSizeGreaterThan(100);
    assertThat(onlyServer).as("in /openapi, not in the client").isEmpty();
    assertThat(onlyClient).as("in the client, not in /openapi").isEmpty();
  }

  private static String slash(String s) {
    return s.startsWith("/") ? s : "/" + s;
  }

  private static String norm(String path) {
    String p = path.replaceAll("\\{[^}]*}", "{}");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
