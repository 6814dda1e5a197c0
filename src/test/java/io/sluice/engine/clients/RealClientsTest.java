package io.sluice.engine.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.HttpOrigin;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.support.UdpEcho;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against the engine: curl (SOCKS5 with local and remote resolution, HTTP forward and
 * CONNECT), PySocks (TCP and UDP, Debian's python3-socks) and proxychains4. Each test is skipped
 * only when its binary (or module) is absent.
 */
class RealClientsTest {

  static final String CURL = "/usr/bin/curl";
  static final String PYTHON = "/usr/bin/python3";
  static final String PROXYCHAINS = "/usr/bin/proxychains4";
  static TestEngine t;
  static HttpOrigin origin;
  static TcpEcho echo;
  static UdpEcho udpEcho;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine();
    origin = new HttpOrigin();
    echo = new TcpEcho();
    udpEcho = new UdpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    origin.close();
    echo.close();
    udpEcho.close();
    t.close();
  }

  record Result(int exit, String out, String err) {}

  static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  static void requireExecutable(String path) {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(path)), path + " not installed");
  }

  static Result curl(String... args) throws Exception {
    requireExecutable(CURL);
    List<String> cmd = new ArrayList<>(List.of(CURL, "-sS", "--max-time", "20"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private String originUrl(String host, String path) {
    return "http://" + host + ":" + origin.port() + path;
  }

  @Test
  void curlSocks5LocalResolution() throws Exception {
    Result r =
        curl(
            "--socks5",
            "127.0.0.1:" + t.port("socks"),
            "--proxy-user",
            "alice:secret",
            originUrl("localhost", "/curl-socks5"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /curl-socks5");
  }

  @Test
  void curlSocks5Hostname() throws Exception {
    Result r =
        curl(
            "--socks5-hostname",
            "127.0.0.1:" + t.port("socks"),
            "--proxy-user",
            "alice:secret",
            originUrl("localhost", "/curl-socks5h"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /curl-socks5h");
  }

  @Test
  void curlSocks5hUrlWithCredentialsOnMixedListener() throws Exception {
    Result r =
        curl(
            "-x",
            "socks5h://alice:secret@127.0.0.1:" + t.port("mixed"),
            originUrl("localhost", "/mixed"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /mixed");
  }

  @Test
  void curlSocks5WrongPasswordFails() throws Exception {
    Result r =
        curl(
            "-x",
            "socks5h://alice:wrong@127.0.0.1:" + t.port("socks"),
            originUrl("localhost", "/"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void curlHttpProxyForward() throws Exception {
    Result r =
        curl(
            "-x",
            "http://alice:secret@127.0.0.1:" + t.port("http"),
            originUrl("127.0.0.1", "/fwd1"),
            originUrl("127.0.0.1", "/fwd2"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /fwd1hello /fwd2");
  }

  @Test
  void curlHttpProxyPostWithExpectContinue(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("body.bin");
    Files.writeString(body, "x".repeat(200_000));
    Result r =
        curl(
            "-x",
            "http://alice:secret@127.0.0.1:" + t.port("http"),
            "-H",
            "Expect: 100-continue",
            "--data-binary",
            "@" + body,
            originUrl("127.0.0.1", "/echo"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).hasSize(200_000).matches("x+");
  }

  @Test
  void curlHttpProxyConnectTunnel() throws Exception {
    Result r =
        curl(
            "-p",
            "-x",
            "http://alice:secret@127.0.0.1:" + t.port("http"),
            originUrl("localhost", "/tunnel"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /tunnel");
  }

  @Test
  void curlHttpProxyWithoutCredentialsGets407() throws Exception {
    Result r =
        curl(
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-x",
            "http://127.0.0.1:" + t.port("http"),
            originUrl("127.0.0.1", "/"));
    assertThat(r.out()).isEqualTo("407");
  }

  static void requirePySocks() throws Exception {
    requireExecutable(PYTHON);
    Assumptions.assumeTrue(
        run(List.of(PYTHON, "-c", "import socks")).exit() == 0, "python3-socks not installed");
  }

  @Test
  void pysocksTcp() throws Exception {
    requirePySocks();
    String script =
        String.join(
            "\n",
            "import socks, sys",
            "s = socks.socksocket()",
            "s.set_proxy(socks.SOCKS5, '127.0.0.1', int(sys.argv[1]), rdns=True, username='alice', password='secret')",
            "s.settimeout(10)",
            "s.connect(('localhost', int(sys.argv[2])))",
            "s.sendall(b'pysocks tcp')",
            "data = b''",
            "while len(data) < 11:",
            "    data += s.recv(100)",
            "print(data.decode())");
    Result r =
        run(
            List.of(
                PYTHON,
                "-c",
                script,
                String.valueOf(t.port("socks")),
                String.valueOf(echo.port())));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("pysocks tcp");
  }

  @Test
  void pysocksUdp() throws Exception {
    requirePySocks();
    String script =
        String.join(
            "\n",
            "import socks, socket, sys",
            "s = socks.socksocket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.set_proxy(socks.SOCKS5, '127.0.0.1', int(sys.argv[1]), username='alice', password='secret')",
            "s.settimeout(10)",
            "s.bind(('127.0.0.1', 0))",
            "s.sendto(b'pysocks udp', ('127.0.0.1', int(sys.argv[2])))",
            "data, addr = s.recvfrom(1000)",
            "print(data.decode(), addr[1])");
    Result r =
        run(
            List.of(
                PYTHON,
                "-c",
                script,
                String.valueOf(t.port("socks")),
                String.valueOf(udpEcho.port())));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("pysocks udp " + udpEcho.port());
  }

  @Test
  void proxychainsWithCurl(@TempDir Path dir) throws Exception {
    requireExecutable(PROXYCHAINS);
    requireExecutable(CURL);
    Path conf = dir.resolve("proxychains.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "strict_chain",
            "proxy_dns",
            "tcp_read_time_out 15000",
            "tcp_connect_time_out 8000",
            "[ProxyList]",
            "socks5 127.0.0.1 " + t.port("socks") + " alice secret",
            ""));
    int before = origin.seen.size();
    Result r =
        run(
            List.of(
                PROXYCHAINS,
                "-q",
                "-f",
                conf.toString(),
                CURL,
                "-sS",
                "--max-time",
                "20",
                "--noproxy",
                "*",
                originUrl("127.0.0.1", "/chained")));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello /chained");
    assertThat(origin.seen.size()).isEqualTo(before + 1);
    assertThat(t.events.opened)
        .anyMatch(
            s -> s.destination().port() == origin.port() && s.protocol().equals("socks5-connect"));
  }
}
