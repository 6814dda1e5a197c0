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
 * the cap is refused before reading, and a chunked body is cut off as soon as it passes it.
 */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "sluice.api.max-body-bytes", defaultValue = "1048576")
  long maxBytes;

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
    ctx.setEntityStream(new Capped(ctx.getEntityStream(), maxBytes));
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
    private long read;

    Capped(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
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
