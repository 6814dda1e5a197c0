package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.tunnel.Frame;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowListTest {

  static final List<String> LIST =
      List.of(
          "127.0.0.1:3389,10.0.0.0/8:5432",
          "192.168.1.0/24:8000-8099",
          "172.16.5.5/32:*",
          "[2001:db8::/32]:443",
          "[::1]:22",
          "Intranet.Example:80,db.local.:5432-5433");

  /** Fake DNS: names map to fixed addresses; a lookup of anything else fails. */
  static final Map<String, String> DNS =
      Map.of(
          "intranet.example", "203.0.113.9",
          "db.local", "10.9.9.9",
          "evil.example", "169.254.169.254",
          "mixed.example", "8.8.8.8,10.1.2.3",
          "v6.example", "2001:db8:1::5");

  final List<String> lookups = new ArrayList<>();

  AllowList.Resolver resolver() {
    return host -> {
      lookups.add(host);
      String v = DNS.get(host.toLowerCase().replaceAll("\\.$", ""));
      if (v == null) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String a : v.split(",")) {
        out.add(InetAddress.getByName(a));
      }
      return out.toArray(InetAddress[]::new);
    };
  }

  @ParameterizedTest(name = "{0}:{1} -> {2}")
  @CsvSource({
    // host, port, expected addresses ("-" = refused)
    "127.0.0.1, 3389, 127.0.0.1",
    "127.0.0.1, 3390, -",
    "127.0.0.2, 3389, -",
    "10.0.0.0, 5432, 10.0.0.0",
    "10.255.255.255, 5432, 10.255.255.255",
    "11.0.0.1, 5432, -",
    "10.1.1.1, 22, -",
    "192.168.1.77, 8000, 192.168.1.77",
    "192.168.1.77, 8099, 192.168.1.77",
    "192.168.1.77, 8100, -",
    "192.168.1.77, 7999, -",
    "192.168.2.1, 8050, -",
    "172.16.5.5, 1, 172.16.5.5",
    "172.16.5.5, 65535, 172.16.5.5",
    "172.16.5.6, 80, -",
    "2001:db8::1, 443, 2001:db8:0:0:0:0:0:1",
    "2001:db8:ffff:ffff::, 443, 2001:db8:ffff:ffff:0:0:0:0",
    "2001:db9::1, 443, -",
    "2001:db8::1, 80, -",
    "::1, 22, 0:0:0:0:0:0:0:1",
    "::2, 22, -",
    "::ffff:10.1.2.3, 5432, 10.1.2.3",
    "intranet.example, 80, 203.0.113.9",
    "INTRANET.example., 80, 203.0.113.9",
    "intranet.example, 81, -",
    "db.local, 5433, 10.9.9.9",
    "db.local, 5432, 10.9.9.9",
    "evil.example, 5432, -",
    "mixed.example, 5432, 10.1.2.3",
    "v6.example, 443, 2001:db8:1:0:0:0:0:5",
  })
  void decisions(String host, int port, String expected) throws UnknownHostException {
    AllowList list = AllowList.parse(LIST);
    AllowList.Decision d = list.check(host, port, resolver());
    if (expected.equals("-")) {
      assertThat(d).isInstanceOf(AllowList.Refused.class);
    } else {
      assertThat(d).isInstanceOf(AllowList.Allowed.class);
      assertThat(((AllowList.Allowed) d).addresses())
          .extracting(InetAddress::getHostAddress)
          .containsExactly(expected.split(";"));
    }
  }

  @Test
  void literalsAndUncoveredPortsAreNeverLookedUp() throws UnknownHostException {
    AllowList list = AllowList.parse(LIST);
    list.check("10.1.2.3", 5432, resolver());
    list.check("2001:db8::1", 443, resolver());
    assertThat(
            AllowList.parse(List.of("10.0.0.0/8:22", "a.example:80"))
                .check("somewhere.example", 443, resolver()))
        .isInstanceOf(AllowList.Refused.class);
    assertThat(lookups).isEmpty();
    assertThatThrownBy(() -> list.check("nowhere.example", 5432, resolver()))
        .isInstanceOf(UnknownHostException.class);
    assertThat(lookups).containsExactly("nowhere.example");
  }

  @Test
  void emptyListRefusesEverything() throws UnknownHostException {
    AllowList empty = AllowList.parse(List.of());
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.check("127.0.0.1", 22, resolver())).isInstanceOf(AllowList.Refused.class);
    assertThat(empty.check("intranet.example", 80, resolver()))
        .isInstanceOf(AllowList.Refused.class);
    assertThat(lookups).isEmpty();
  }

  @Test
  void refusalMessagesNameTheTarget() throws UnknownHostException {
    AllowList list = AllowList.parse(LIST);
    assertThat(((AllowList.Refused) list.check("10.1.1.1", 22, resolver())).message())
        .isEqualTo("10.1.1.1:22 is not in the allow list");
    assertThat(((AllowList.Refused) list.check("evil.example", 5432, resolver())).message())
        .isEqualTo("evil.example:5432 resolves to no allowed address");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8:22|10.0.0.0|8|22|22",
        "10.1.2.3/8:22|10.0.0.0|8|22|22",
        "0.0.0.0/0:*|0.0.0.0|0|1|65535",
        "1.2.3.4:100-200|1.2.3.4|32|100|200",
        "[2001:db8::/32]:443|2001:db8:0:0:0:0:0:0|32|443|443",
        "[fe80::1]:1-2|fe80:0:0:0:0:0:0:1|128|1|2",
      })
  void addressEntries(String entry, String network, int prefix, int lo, int hi)
      throws UnknownHostException {
    AllowList.AddressRule r = (AllowList.AddressRule) AllowList.parseEntry(entry);
    assertThat(InetAddress.getByAddress(r.network()).getHostAddress()).isEqualTo(network);
    assertThat(r.prefix()).isEqualTo(prefix);
    assertThat(r.lowPort()).isEqualTo(lo);
    assertThat(r.highPort()).isEqualTo(hi);
  }

  @Test
  void hostEntries() {
    AllowList.HostRule r = (AllowList.HostRule) AllowList.parseEntry("Printer.Office.local:9100");
    assertThat(r.host()).isEqualTo("printer.office.local");
    assertThat(r.lowPort()).isEqualTo(9100);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8",
        "10.0.0.0/8:",
        "10.0.0.0/8:0",
        "10.0.0.0/8:65536",
        "10.0.0.0/8:20-10",
        "10.0.0.0/8:1-2-3",
        "10.0.0.0/8:x",
        "10.0.0.0/33:22",
        "10.0.0.0/-1:22",
        "10.0.0.0/:22",
        "256.1.1.1:22",
        "10.1:22",
        "01.2.3.4:22",
        "2001:db8::1:443",
        "[2001:db8::/129]:443",
        "[10.0.0.1]:443",
        "[2001:db8::1]443",
        "[::1:22",
        "bad_host!:80",
        "host name:80",
        "-:80",
        ":80",
      })
  void badEntries(String entry) {
    assertThatThrownBy(() -> AllowList.parse(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyEntriesAreErrors() {
    assertThatThrownBy(() -> AllowList.parse(List.of("127.0.0.1:22,")))
        .hasMessageContaining("empty");
  }

  @Test
  void connectorMapsFailuresToOpenFailReasons() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    AllowList list = AllowList.parse(List.of("127.0.0.1:" + closedPort, "nowhere.example:80"));
    TargetConnector c = new TargetConnector(list, resolver(), Duration.ofSeconds(2));
    assertThat(c.connect("127.0.0.1", closedPort))
        .isEqualTo(new TargetConnector.Failed(Frame.OpenFail.REFUSED, "connection refused"));
    assertThat(c.connect("127.0.0.1", closedPort + 1 == 65536 ? 1 : closedPort + 1))
        .isInstanceOf(TargetConnector.Failed.class)
        .extracting(f -> ((TargetConnector.Failed) f).reason())
        .isEqualTo(Frame.OpenFail.NOT_ALLOWED);
    assertThat(c.connect("nowhere.example", 80))
        .isEqualTo(new TargetConnector.Failed(Frame.OpenFail.UNREACHABLE, "unknown host"));
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TargetConnector ok =
          new TargetConnector(
              AllowList.parse(List.of("127.0.0.0/8:" + open.getLocalPort())),
              resolver(),
              Duration.ofSeconds(2));
      TargetConnector.Result r = ok.connect("127.0.0.1", open.getLocalPort());
      assertThat(r).isInstanceOf(TargetConnector.Connected.class);
      ((TargetConnector.Connected) r).socket().close();
    }
  }

  @Test
  void exceptionClassification() {
    assertThat(
            TargetConnector.classify(new java.net.SocketTimeoutException("connect timed out"))
                .reason())
        .isEqualTo(Frame.OpenFail.TIMEOUT);
    assertThat(
            TargetConnector.classify(new java.net.NoRouteToHostException("No route to host"))
                .reason())
        .isEqualTo(Frame.OpenFail.UNREACHABLE);
    assertThat(
            TargetConnector.classify(new java.net.ConnectException("Network is unreachable"))
                .reason())
        .isEqualTo(Frame.OpenFail.UNREACHABLE);
    assertThat(
            TargetConnector.classify(new java.net.ConnectException("Connection refused")).reason())
        .isEqualTo(Frame.OpenFail.REFUSED);
    assertThat(TargetConnector.classify(new java.io.IOException("something else")).reason())
        .isEqualTo(Frame.OpenFail.GENERAL);
    assertThat(
            Arrays.asList(
                Frame.OpenFail.NOT_ALLOWED,
                Frame.OpenFail.UNREACHABLE,
                Frame.OpenFail.REFUSED,
                Frame.OpenFail.TIMEOUT,
                Frame.OpenFail.GENERAL))
        .containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void backoffGrowsWithJitterAndResets() {
    double[] r = {0.999999};
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> r[0]);
    assertThat(List.of(b.next(), b.next(), b.next(), b.next(), b.next(), b.next()))
        .extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    r[0] = 0;
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    r[0] = 0.5;
    b.reset();
    assertThat(b.next().toMillis()).isEqualTo(100);
    assertThat(b.next().toMillis()).isEqualTo(150);
  }
}
