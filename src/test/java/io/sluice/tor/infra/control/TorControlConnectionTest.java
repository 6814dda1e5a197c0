package io.sluice.tor.infra.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.tor.infra.RealTor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control client against a real tor started with {@code DisableNetwork 1}. */
class TorControlConnectionTest {

  @TempDir static Path tmp;
  static RealTor tor;

  @BeforeAll
  static void start() throws IOException {
    tor = RealTor.start(tmp.resolve("node"));
  }

  @AfterAll
  static void stop() {
    if (tor != null) {
      tor.close();
    }
  }

  @Test
  void cookieAuthenticationThenSingleAndMultiLineReplies() throws IOException {
    try (TorControlConnection c = tor.connect()) {
      assertThat(c.getInfo("version")).startsWith("0.");
      Map<String, String> info = c.getInfo("status/bootstrap-phase", "network-liveness");
      assertThat(info.get("status/bootstrap-phase"))
          .contains("PROGRESS=0")
          .contains("TAG=starting");
      assertThat(info.get("network-liveness")).isEqualTo("down");
      // a data reply ("250+config-text=" ... ".")
      String text = c.getInfo("config-text");
      assertThat(text.lines())
          .contains("DisableNetwork 1", "ConfluxEnabled 0", "CookieAuthentication 1");
      assertThat(c.getInfo("net/listeners/control")).startsWith("\"127.0.0.1:");
    }
  }

  @Test
  void aWrongCookieIsRefused() throws IOException {
    TorControlConnection c =
        TorControlConnection.open(
            tor.control, Duration.ofSeconds(5), Thread.ofPlatform().factory(), e -> {}, r -> {});
    try (c) {
      assertThatThrownBy(() -> c.command("AUTHENTICATE " + "00".repeat(32)))
          .isInstanceOf(ControlException.class)
          .satisfies(e -> assertThat(((ControlException) e).status()).isEqualTo(515));
      await().atMost(Duration.ofSeconds(5)).until(() -> !c.isOpen());
    }
  }

  @Test
  void unauthenticatedCommandsAreRefused() throws IOException {
    try (TorControlConnection c =
        TorControlConnection.open(
            tor.control, Duration.ofSeconds(5), Thread.ofPlatform().factory(), e -> {}, r -> {})) {
      assertThatThrownBy(() -> c.getInfo("version")).isInstanceOf(ControlException.class);
    }
  }

  @Test
  void aQuotedValueCannotStartASecondCommand() throws IOException {
    try (TorControlConnection c = tor.connect()) {
      String sneaky = "x\" \\\"; SIGNAL HALT \\";
      c.setConf("ContactInfo", sneaky);
      assertThat(c.command("GETCONF ContactInfo").keyValues()).containsEntry("ContactInfo", sneaky);
      assertThatThrownBy(() -> c.setConf("ContactInfo", "a\r\nSIGNAL HALT"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> c.getInfo("version\r\nSIGNAL HALT"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> c.command("GETINFO version\nSIGNAL HALT"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(tor.process.alive()).isTrue();
      assertThat(c.getInfo("version")).isNotEmpty();
    }
  }

  @Test
  void twoNewnymsInARowGiveOneDoneAndOneDeferredThenDone() throws Exception {
    try (TorControlConnection events = tor.connect();
        TorControlConnection commands = tor.connect()) {
      events.setEvents(List.of("SIGNAL", "NOTICE"));
      tor.events.clear();
      commands.signal("NEWNYM");
      commands.signal("NEWNYM");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() ->
              tor.events.stream()
                  .anyMatch(e -> e.message().startsWith("NOTICE Rate limiting NEWNYM")));
      long done = tor.events.stream().filter(e -> e.message().equals("SIGNAL NEWNYM")).count();
      // the first one is done at once unless an earlier NEWNYM of this tor was under 10 s ago
      assertThat(done).isLessThanOrEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() ->
              tor.events.stream().filter(e -> e.message().equals("SIGNAL NEWNYM")).count()
                  == done + 1);
    }
  }

  @Test
  void theControlPortIsLoopbackOnly() throws IOException {
    InetAddress outside = null;
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
          outside = a;
        }
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "no non-loopback address");
    InetSocketAddress there = new InetSocketAddress(outside, tor.control.getPort());
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(there, 2000)).isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() ->
            TorControlConnection.open(
                there, Duration.ofSeconds(2), Thread.ofPlatform().factory(), e -> {}, r -> {}))
        .hasMessageContaining("loopback only");
  }
}
