package io.sluice.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The trusted-proxy list in liberty/server.xml: Liberty's remoteIp element believes X-Forwarded-For
 * only from peers whose whole address matches the {@code proxies} regex (Matcher.matches), so the
 * default must match no address at all, loopback included; and the application reads the client
 * address only through the servlet's remote address, which remoteIp rewrites.
 */
class TrustedProxiesTest {

  private static final List<String> ADDRESSES =
      List.of(
          "127.0.0.1",
          "127.0.0.2",
          "10.0.0.1",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.1.1",
          "8.8.8.8",
          "::1",
          "0:0:0:0:0:0:0:1",
          "fe80:0:0:0:0:0:0:1",
          "2001:db8:0:0:0:0:0:1");

  private static Document serverXml() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(Path.of("liberty/server.xml").toFile());
  }

  private static String variableDefault(Document d, String name) {
    NodeList vars = d.getElementsByTagName("variable");
    for (int i = 0; i < vars.getLength(); i++) {
      Element v = (Element) vars.item(i);
      if (name.equals(v.getAttribute("name"))) {
        return v.getAttribute("defaultValue");
      }
    }
    return null;
  }

  @Test
  void theEndpointTakesItsTrustedProxiesFromTheVariable() throws Exception {
    Document d = serverXml();
    NodeList endpoints = d.getElementsByTagName("httpEndpoint");
    assertThat(endpoints.getLength()).isEqualTo(1);
    NodeList remoteIp = ((Element) endpoints.item(0)).getElementsByTagName("remoteIp");
    assertThat(remoteIp.getLength()).isEqualTo(1);
    Element r = (Element) remoteIp.item(0);
    assertThat(r.getAttribute("proxies")).isEqualTo("${sluice.trusted.proxies}");
    assertThat(r.getAttribute("useRemoteIpInAccessLog")).isEqualTo("true");
  }

  @Test
  void theDefaultTrustsNoAddressNotEvenLoopback() throws Exception {
    String value = variableDefault(serverXml(), "sluice.trusted.proxies");
    assertThat(value).isNotBlank();
    Pattern p = Pattern.compile(value);
    for (String a : ADDRESSES) {
      assertThat(p.matcher(a).matches()).as(a).isFalse();
    }
  }

  @Test
  void theDocumentedExampleTrustsExactlyTheNamedProxies() {
    Pattern p = Pattern.compile("10\\.0\\.0\\.5|10\\.0\\.0\\.6");
    assertThat(p.matcher("10.0.0.5").matches()).isTrue();
    assertThat(p.matcher("10.0.0.6").matches()).isTrue();
    assertThat(p.matcher("10.0.0.50").matches()).isFalse();
    assertThat(p.matcher("110.0.0.5").matches()).isFalse();
  }

  /** Forwarding headers are Liberty's business: no class reads them past remoteIp. */
  @Test
  void noClassReadsForwardingHeadersItself() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/sluice"))) {
      List<Path> offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> {
                try {
                  String s = Files.readString(f).toLowerCase(java.util.Locale.ROOT);
                  return s.contains("x-forwarded")
                      || s.contains("\"forwarded\"")
                      || s.contains("x-real-ip");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
              .toList();
      assertThat(offenders).isEmpty();
    }
  }
}
