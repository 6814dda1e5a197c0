package io.sluice.platform.db;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * A Flyway {@link ResourceProvider} over an explicit list of migration files. Flyway's own
 * class-path scanning cannot list directories through Open Liberty's class loaders ("Unable to
 * resolve location classpath:db/migration"), so the application lists them itself (from the servlet
 * context) and hands the URLs over.
 */
public final class UrlListResourceProvider implements ResourceProvider {

  private final Map<String, UrlResource> byName = new TreeMap<>();

  /**
   * @param files file name (e.g. {@code V1__foundation.sql}) to the URL of its content
   */
  public UrlListResourceProvider(String location, Map<String, URL> files) {
    files.forEach(
        (name, url) -> byName.put(name, new UrlResource(location + "/" + name, name, url)));
  }

  public int size() {
    return byName.size();
  }

  @Override
  public LoadableResource getResource(String name) {
    String file = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
    return byName.get(file);
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<String> suffixList = Arrays.asList(suffixes);
    return byName.values().stream()
        .filter(r -> r.getFilename().startsWith(prefix))
        .filter(r -> suffixList.stream().anyMatch(s -> r.getFilename().endsWith(s)))
        .map(r -> (LoadableResource) r)
        .toList();
  }

  private static final class UrlResource extends LoadableResource {
    private final String path;
    private final String filename;
    private final URL url;

    UrlResource(String path, String filename, URL url) {
      this.path = path;
      this.filename = filename;
      this.url = url;
    }

    @Override
    public Reader read() {
      try {
        return new InputStreamReader(url.openStream(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read migration " + path, e);
      }
    }

    @Override
    public String getAbsolutePath() {
      return path;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return url.toString();
    }

    @Override
    public String getFilename() {
      return filename;
    }

    @Override
    public String getRelativePath() {
      return path;
    }
  }
}
