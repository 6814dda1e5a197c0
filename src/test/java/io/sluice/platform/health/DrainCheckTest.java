package io.sluice.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.platform.db.SluiceStarted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness check {@code sluice.drain} as MicroProfile Health calls it: UP without a marker,
 * DOWN while the marker exists, UP again when it is gone; a marker left before the start is
 * removed. Outside Liberty the response builder is a minimal one set through the API's own hook.
 */
class DrainCheckTest {

  @TempDir Path dir;

  @BeforeAll
  static void responses() {
    HealthCheckResponse.setResponseProvider(Builder::new);
  }

  @Test
  void downWhileTheMarkerExists() throws Exception {
    Path marker = dir.resolve("sluice-draining");
    DrainCheck check = check(Optional.of(marker.toString()));

    assertThat(check.call().getStatus()).isEqualTo(Status.UP);
    Files.createFile(marker);
    HealthCheckResponse draining = check.call();
    assertThat(draining.getName()).isEqualTo("sluice.drain");
    assertThat(draining.getStatus()).isEqualTo(Status.DOWN);
    assertThat(draining.getData().orElseThrow()).containsEntry("marker", marker.toString());
    Files.delete(marker);
    assertThat(check.call().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void aMarkerLeftBeforeTheStartIsRemovedWhenSluiceStarts() throws Exception {
    Path marker = Files.createFile(dir.resolve("sluice-draining"));
    DrainCheck check = check(Optional.of(marker.toString()));
    assertThat(check.call().getStatus()).isEqualTo(Status.DOWN);

    check.clearAtStart(new SluiceStarted(false));
    assertThat(marker).doesNotExist();
    assertThat(check.call().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void unsetOrBlankMeansAlwaysUp() {
    for (Optional<String> file : java.util.List.of(Optional.<String>empty(), Optional.of(" "))) {
      DrainCheck check = check(file);
      check.clearAtStart(new SluiceStarted(true));
      HealthCheckResponse r = check.call();
      assertThat(r.getStatus()).isEqualTo(Status.UP);
      assertThat(r.getData().orElse(Map.of())).doesNotContainKey("marker");
    }
  }

  private static DrainCheck check(Optional<String> file) {
    DrainCheck check = new DrainCheck();
    check.drainFile = file;
    check.init();
    return check;
  }

  /** Just enough of a response builder for the check. */
  static final class Builder extends HealthCheckResponseBuilder {
    private String name;
    private boolean up;
    private final Map<String, Object> data = new LinkedHashMap<>();

    @Override
    public HealthCheckResponseBuilder name(String name) {
      this.name = name;
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, String value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, long value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, boolean value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder up() {
      return status(true);
    }

    @Override
    public HealthCheckResponseBuilder down() {
      return status(false);
    }

    @Override
    public HealthCheckResponseBuilder status(boolean up) {
      this.up = up;
      return this;
    }

    @Override
    public HealthCheckResponse build() {
      return new HealthCheckResponse(
          name,
          up ? Status.UP : Status.DOWN,
          data.isEmpty() ? Optional.empty() : Optional.of(data));
    }
  }
}
