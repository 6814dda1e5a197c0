package io.sluice.platform.problem;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Caps request bodies ({@code sluice.api.max-body-bytes}, default 1 MiB): a declared length over
 * the cap is refused before reading, and a chunked body is cut off as soon as it passes it. A JSON
 * body (media type {@code application/json} or {@code +json}) is also cut off with 400 {@code
 * malformed-json} as soon as its objects and arrays nest deeper than {@code
 * sluice.api.max-json-depth} (default 64), before the JSON parser, which recurses once per level,
 * sees the level that is too deep.
 */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "sluice.api.max-body-bytes", defaultValue = "1048576")
  long maxBytes;

  @Inject
  @ConfigProperty(name = "sluice.api.max-json-depth", defaultValue = "64")
  int maxJsonDepth;

  @Override
  public void filter(ContainerRequestContext ctx) {
    String declared = ctx.getHeaderString("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length is not a number");
      }
    }
    JsonNesting nesting =
        isJson(ctx.getHeaderString("Content-Type")) ? new JsonNesting(maxJsonDepth) : null;
    ctx.setEntityStream(new Capped(ctx.getEntityStream(), maxBytes, nesting));
  }

  /** Whether a Content-Type names JSON: {@code application/json}, {@code application/x+json}. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    int semi = t.indexOf(';');
    if (semi >= 0) {
      t = t.substring(0, semi);
    }
    t = t.trim();
    return t.equals("application/json") || (t.startsWith("application/") && t.endsWith("+json"));
  }

  static ApiException tooDeep(int max) {
    return new ApiException(
        400,
        "malformed-json",
        "Malformed JSON",
        "the request body nests objects and arrays deeper than " + max + " levels",
        null);
  }

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "payload-too-large",
        "Payload Too Large",
        "request bodies are limited to " + maxBytes + " bytes",
        null);
  }

  private final class Capped extends FilterInputStream {
    private final long limit;
    private final JsonNesting nesting;
    private long read;

    Capped(InputStream in, long limit, JsonNesting nesting) {
      super(in);
      this.limit = limit;
      this.nesting = nesting;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
        if (nesting != null && !nesting.feed(b)) {
          throw tooDeep(nesting.max());
        }
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
        if (nesting != null && !nesting.feed(buf, off, n)) {
          throw tooDeep(nesting.max());
        }
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw tooLarge();
      }
    }
  }
}
