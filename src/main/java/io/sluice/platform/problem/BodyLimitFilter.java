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
      long length = contentLength(declared);
      if (length < 0) {
        throw ApiException.badRequest("Content-Length is not a number");
      }
      if (length > maxBytes) {
        throw tooLarge();
      }
    }
    JsonNesting nesting =
        isJson(ctx.getHeaderString("Content-Type")) ? new JsonNesting(maxJsonDepth) : null;
    ctx.setEntityStream(new Capped(ctx.getEntityStream(), maxBytes, nesting));
  }

  /**
   * The declared length, or -1 when it is not a valid one. Several values (as the header string
   * joins repeated fields with commas, seen with HTTP/2 requests on Liberty) are accepted when they
   * are all the same number, as RFC 9110 section 8.6 allows; different values are invalid.
   */
  static long contentLength(String declared) {
    long length = -1;
    for (String part : declared.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      long v = Long.parseLong(p);
      if (length >= 0 && v != length) {
        return -1;
      }
      length = v;
    }
    return length;
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
