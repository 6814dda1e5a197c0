package io.sluice.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonNestingTest {

  private static boolean fits(String json, int max) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new JsonNesting(max).feed(b, 0, b.length);
  }

  @Test
  void countsObjectsAndArraysButNotBracketsInStrings() {
    assertThat(fits("{}", 1)).isTrue();
    assertThat(fits("[[1]]", 2)).isTrue();
    assertThat(fits("[[[1]]]", 2)).isFalse();
    assertThat(fits("{\"a\":{\"a\":{}}}", 2)).isFalse();
    assertThat(fits("[1],[2],[3]", 1)).isTrue();
    assertThat(fits("{\"a\":\"[[[[{{{{\"}", 1)).isTrue();
    assertThat(fits("{\"a\\\"[[[\":\"\\\\\"}", 1)).isTrue();
    assertThat(fits("[\"\\\\\",[[", 2)).isFalse();
    assertThat(fits("{\"ü\":[\"€[\"]}", 2)).isTrue();
    assertThat(fits("]]]][[", 2)).isTrue();
  }

  @Test
  void jsonMediaTypes() {
    assertThat(BodyLimitFilter.isJson("application/json")).isTrue();
    assertThat(BodyLimitFilter.isJson("Application/JSON; charset=utf-8")).isTrue();
    assertThat(BodyLimitFilter.isJson("application/merge-patch+json")).isTrue();
    assertThat(BodyLimitFilter.isJson("text/plain")).isFalse();
    assertThat(BodyLimitFilter.isJson(null)).isFalse();
  }

  /** A request context that holds headers and the entity stream, nothing else. */
  private static ContainerRequestContext request(String contentType, byte[] body) {
    Map<String, Object> state = new HashMap<>();
    state.put("stream", new ByteArrayInputStream(body));
    return (ContainerRequestContext)
        Proxy.newProxyInstance(
            JsonNestingTest.class.getClassLoader(),
            new Class<?>[] {ContainerRequestContext.class},
            (p, m, args) ->
                switch (m.getName()) {
                  case "getHeaderString" -> "Content-Type".equals(args[0]) ? contentType : null;
                  case "getEntityStream" -> state.get("stream");
                  case "setEntityStream" -> state.put("stream", args[0]);
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private static InputStream filtered(String contentType, String body) {
    BodyLimitFilter f = new BodyLimitFilter();
    f.maxBytes = 1 << 20;
    f.maxJsonDepth = 64;
    ContainerRequestContext ctx = request(contentType, body.getBytes(StandardCharsets.UTF_8));
    f.filter(ctx);
    return ctx.getEntityStream();
  }

  @Test
  void deepBodiesAreRefusedWhileTheParserReadsThem() {
    for (String deep :
        new String[] {
          "[".repeat(2000) + "]".repeat(2000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000)
        }) {
      InputStream in = filtered("application/json", deep);
      assertThatThrownBy(() -> Json.createReader(in).readValue())
          .satisfies(t -> {
            ApiException api = ThrowableMapper.find(t, ApiException.class);
            assertThat(api).isNotNull();
            assertThat(api.status()).isEqualTo(400);
            assertThat(api.type()).isEqualTo("malformed-json");
            assertThat(api.getMessage()).contains("deeper than 64 levels");
          });
    }
  }

  @Test
  void shallowBodiesAndNonJsonBodiesPass() {
    String ok = "[".repeat(64) + "]".repeat(64);
    JsonValue v = Json.createReader(filtered("application/json", ok)).readValue();
    assertThat(v.getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
    String deep = "[".repeat(100);
    assertThat(new String(readAll(filtered("text/plain", deep)), StandardCharsets.UTF_8))
        .isEqualTo(deep);
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
