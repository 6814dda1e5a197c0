package io.sluice.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlListResourceProviderTest {

  @Test
  void filtersByPrefixAndSuffixAndReadsContent(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id INT);");
    Files.writeString(dir.resolve("V2__b.sql"), "CREATE TABLE b (id INT);");
    Files.writeString(dir.resolve("R__view.sql"), "CREATE VIEW v AS SELECT 1;");
    Map<String, URL> files = new TreeMap<>();
    for (String f : new String[] {"V1__a.sql", "V2__b.sql", "R__view.sql"}) {
      files.put(f, dir.resolve(f).toUri().toURL());
    }
    UrlListResourceProvider p = new UrlListResourceProvider("db/migration", files);

    assertThat(p.size()).isEqualTo(3);
    assertThat(p.getResources("V", new String[] {".sql"}))
        .extracting(LoadableResource::getFilename)
        .containsExactly("V1__a.sql", "V2__b.sql");
    assertThat(p.getResources("", new String[] {".sql"})).hasSize(3);
    assertThat(p.getResources("V", new String[] {".java"})).isEmpty();
    LoadableResource r = p.getResource("db/migration/V2__b.sql");
    assertThat(r.getRelativePath()).isEqualTo("db/migration/V2__b.sql");
    try (BufferedReader in = new BufferedReader(r.read())) {
      assertThat(in.lines().collect(Collectors.joining())).isEqualTo("CREATE TABLE b (id INT);");
    }
    assertThat(p.getResource("V9__missing.sql")).isNull();
  }

  @Test
  void theShippedMigrationsFollowFlywayNaming() throws Exception {
    try (var files = Files.list(Path.of("db/migration"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .isNotEmpty()
          .allMatch(n -> n.matches("V\\d+__[a-z0-9_]+\\.sql"));
    }
  }
}
