package io.sluice.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerTagTest {

  @Test
  void namesAreTheOnesTheHostUsesToday() {
    assertThat(ListenerTag.SOCKS.name()).isEqualTo("socks");
    assertThat(ListenerTag.HTTP.name()).isEqualTo("http");
    assertThat(ListenerTag.MIXED.name()).isEqualTo("mixed");
    assertThat(new ListenerTag.Dedicated(10).name()).isEqualTo("dedicated-10");
    assertThat(new ListenerTag.Tunnel(7).name()).isEqualTo("tunnel-7");
    assertThat(ListenerTag.TUNNEL_DIRECT.name()).isEqualTo("direct-data");
    assertThat(new ListenerTag.Named("open").name()).isEqualTo("open");
  }

  @Test
  void parseIsTheExactInverseOfName() {
    List<ListenerTag> tags =
        List.of(
            ListenerTag.SOCKS,
            ListenerTag.HTTP,
            ListenerTag.MIXED,
            ListenerTag.TUNNEL_DIRECT,
            new ListenerTag.Dedicated(10),
            new ListenerTag.Dedicated(Long.MAX_VALUE),
            new ListenerTag.Tunnel(0),
            new ListenerTag.Tunnel(123456789L),
            new ListenerTag.Named("tunnel"),
            new ListenerTag.Named("dedicated"));
    for (ListenerTag t : tags) {
      assertThat(ListenerTag.parse(t.name())).isEqualTo(t);
    }
    assertThat(ListenerTag.parse("dedicated-10"))
        .isInstanceOfSatisfying(
            ListenerTag.Dedicated.class, d -> assertThat(d.userId()).isEqualTo(10));
    assertThat(ListenerTag.parse("socks")).isSameAs(ListenerTag.SOCKS);
    assertThat(new ListenerTag.Socks()).isEqualTo(ListenerTag.SOCKS);
  }

  @Test
  void nonCanonicalIdsStayNamed() {
    for (String name :
        List.of(
            "dedicated-010",
            "dedicated-+1",
            "dedicated-abc",
            "dedicated-",
            "tunnel-1x",
            "tunnel-99999999999999999999",
            "Socks",
            "tunnel--0")) {
      ListenerTag t = ListenerTag.parse(name);
      assertThat(t).as(name).isInstanceOf(ListenerTag.Named.class);
      assertThat(t.name()).isEqualTo(name);
    }
  }

  @Test
  void namedRefusesBlankAndTypedNames() {
    assertThatThrownBy(() -> new ListenerTag.Named(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenerTag.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenerTag.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ListenerTag.Named("mixed"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ListenerTag.Named("tunnel-3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connectionInfoCarriesTheTagAndItsName() {
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 1080);
    ConnectionInfo typed = new ConnectionInfo("c1", client, new ListenerTag.Dedicated(10), local);
    assertThat(typed.listener()).isEqualTo("dedicated-10");
    ConnectionInfo byName = new ConnectionInfo("c1", client, "dedicated-10", local);
    assertThat(byName.listenerTag()).isEqualTo(new ListenerTag.Dedicated(10));
    assertThat(byName).isEqualTo(typed);
    assertThat(byName)
        .hasToString(
            "ConnectionInfo[connectionId=c1, client="
                + client
                + ", listener=dedicated-10, local="
                + local
                + "]");
    ConnectionInfo none = new ConnectionInfo("c2", client, (String) null, local);
    assertThat(none.listener()).isNull();
    assertThat(none.listenerTag()).isNull();
  }
}
