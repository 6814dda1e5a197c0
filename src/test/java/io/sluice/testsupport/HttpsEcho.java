package io.sluice.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * A local HTTPS IP echo (JDK {@link HttpsServer}) presenting a {@link TestCa} certificate: {@code
 * /json} answers Decodo's shape {@code {"proxy":{"ip":"<caller>"},...}}, {@code /ip} the caller's
 * address as plain text. Records the {@code Host} header of each request and the SNI host name of
 * each handshake ({@link #sniNames}, nothing added when the client sent none).
 */
public final class HttpsEcho implements AutoCloseable {

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  public final List<String> hosts = new CopyOnWriteArrayList<>();
  public final List<String> sniNames = new CopyOnWriteArrayList<>();

  public HttpsEcho(String bindAddress, SSLContext tls) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), 50);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setSNIMatchers(List.of(new Recorder()));
            params.setSSLParameters(p);
          }
        });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code https://host:port path}. */
  public URI url(String host, String path) {
    return URI.create("https://" + host + ":" + port() + path);
  }

  private void handle(HttpExchange ex) throws IOException {
    hosts.add(ex.getRequestHeaders().getFirst("Host"));
    String ip = ex.getRemoteAddress().getAddress().getHostAddress();
    boolean json = ex.getRequestURI().getPath().startsWith("/json");
    String body =
        json ? "{\"proxy\":{\"ip\":\"" + ip + "\"},\"isp\":{\"isp\":\"Test\"},\"city\":{}}" : ip;
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", json ? "application/json" : "text/plain");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** Accepts every SNI host name and records it. */
  private final class Recorder extends SNIMatcher {
    Recorder() {
      super(StandardConstants.SNI_HOST_NAME);
    }

    @Override
    public boolean matches(SNIServerName name) {
      sniNames.add(((SNIHostName) name).getAsciiName());
      return true;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
