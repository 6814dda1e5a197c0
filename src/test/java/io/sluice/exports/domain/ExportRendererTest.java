package io.sluice.exports.domain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportRendererTest {

  static final ProxyEntry PLAIN =
      new ProxyEntry("gw.example.net", 1080, "alice", "pw1", "socks5", "pool-a");
  static final ProxyEntry V4 = new ProxyEntry("192.0.2.7", 3128, "bob", "pw2", "http", null);
  static final ProxyEntry V6 =
      new ProxyEntry("2001:db8::1", 1080, "carol", "pw3", "socks5", "note");

  static String text(List<ProxyEntry> entries, ExportFormat f) {
    return new String(ExportRenderer.render(entries, f), UTF_8);
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> ExportRenderer.render(null, ExportFormat.TXT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ExportRenderer.render(List.of(), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ExportRenderer.render(Arrays.asList(PLAIN, null), ExportFormat.JSON))
        .isInstanceOf(NullPointerException.class);
  }

  @Nested
  class Txt {

    @Test
    void oneLinePerEntryWithLfEndings() {
      assertThat(text(List.of(PLAIN, V4), ExportFormat.TXT))
          .isEqualTo("gw.example.net:1080:alice:pw1\n192.0.2.7:3128:bob:pw2\n");
    }

    @Test
    void ipv6HostsAreBracketed() {
      ProxyEntry bracketedInput =
          new ProxyEntry("[2001:db8::2]", 1081, "dave", "pw4", "http", null);
      ProxyEntry zone = new ProxyEntry("fe80::1%eth0", 1080, "eve", "pw5", "socks5", null);
      assertThat(text(List.of(V6, bracketedInput, zone), ExportFormat.TXT))
          .isEqualTo(
              "[2001:db8::1]:1080:carol:pw3\n[2001:db8::2]:1081:dave:pw4\n[fe80::1%eth0]:1080:eve:pw5\n");
    }

    @Test
    void emptyListIsEmpty() {
      assertThat(ExportRenderer.render(List.of(), ExportFormat.TXT)).isEmpty();
    }

    @Test
    void unicodeIsUtf8() {
      ProxyEntry e = new ProxyEntry("h", 1, "jos\u00e9", "\u5bc6\ud83d\udd11", "http", null);
      assertThat(ExportRenderer.render(List.of(e), ExportFormat.TXT))
          .isEqualTo("h:1:jos\u00e9:\u5bc6\ud83d\udd11\n".getBytes(UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"a:b", "a\nb", "a\rb", "x\n1.2.3.4:1:u:p", "a\u0000b", "a\u2028b", "a\u0085b"})
    void fieldsThatWouldBreakTheLineFormatAreRejectedWithoutEchoingThem(String bad) {
      List<ProxyEntry> asUser =
          List.of(PLAIN, new ProxyEntry("h", 1, bad, "secretpw", "http", null));
      List<ProxyEntry> asPassword =
          List.of(new ProxyEntry("h", 1, "u", bad + "secretpw", "http", null));
      assertThatThrownBy(() -> ExportRenderer.render(asUser, ExportFormat.TXT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("entry 1")
          .hasMessageContaining("username")
          .hasMessageNotContaining("secretpw");
      assertThatThrownBy(() -> ExportRenderer.render(asPassword, ExportFormat.TXT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("entry 0")
          .hasMessageContaining("password")
          .hasMessageNotContaining("secretpw");
      // the same entries are fine in the escaped formats
      assertThat(ExportRenderer.render(asUser, ExportFormat.CSV)).isNotEmpty();
      assertThat(ExportRenderer.render(asPassword, ExportFormat.JSON)).isNotEmpty();
    }
  }

  @Nested
  class Csv {

    static final CSVFormat READ =
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    static List<CSVRecord> parse(byte[] bytes) throws IOException {
      try (CSVParser p = CSVParser.parse(new String(bytes, UTF_8), READ)) {
        assertThat(p.getHeaderNames())
            .containsExactly("host", "port", "username", "password", "scheme", "label");
        return p.getRecords();
      }
    }

    static List<String> row(CSVRecord r) {
      List<String> out = new ArrayList<>();
      r.forEach(out::add);
      return out;
    }

    @Test
    void headerAndCrlfRecords() {
      assertThat(text(List.of(PLAIN, V4), ExportFormat.CSV))
          .isEqualTo(
              "host,port,username,password,scheme,label\r\n"
                  + "gw.example.net,1080,alice,pw1,socks5,pool-a\r\n"
                  + "192.0.2.7,3128,bob,pw2,http,\r\n");
    }

    @Test
    void emptyListIsJustTheHeader() {
      assertThat(text(List.of(), ExportFormat.CSV))
          .isEqualTo("host,port,username,password,scheme,label\r\n");
    }

    @Test
    void roundTripsThroughCommonsCsv() throws IOException {
      List<ProxyEntry> entries =
          List.of(
              PLAIN,
              V4,
              V6,
              new ProxyEntry(
                  "h.example", 65535, "comma,user", "quote\"pw\"", "http", "multi\nline\r\nlabel"),
              new ProxyEntry("h2", 1, "", "", "socks5", ""),
              new ProxyEntry(
                  "h3", 2, "jos\u00e9 \ud83d\ude00", "'already quoted", "http", "a=b, c+d"),
              new ProxyEntry("h4", 3, " =spaced", "trailing ", "socks5", "\"=quoted\""));
      List<CSVRecord> records = parse(ExportRenderer.render(entries, ExportFormat.CSV));
      assertThat(records).hasSize(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        ProxyEntry e = entries.get(i);
        assertThat(row(records.get(i)))
            .as("record %d", i)
            .containsExactly(
                e.host(),
                Integer.toString(e.port()),
                e.username(),
                e.password(),
                e.scheme(),
                e.label() == null ? "" : e.label());
      }
    }

    static final String[] TRIGGERS = {"=", "+", "-", "@", "\t", "\r"};

    /**
     * Every trigger character at the start of every free-text column gets a single-quote prefix.
     */
    @Test
    void formulaInjectionGuardOnEveryTriggerInEveryColumn() throws IOException {
      List<Function<String, ProxyEntry>> columns =
          List.of(
              v -> new ProxyEntry(v, 1080, "u", "p", "socks5", "l"),
              v -> new ProxyEntry("h", 1080, v, "p", "socks5", "l"),
              v -> new ProxyEntry("h", 1080, "u", v, "socks5", "l"),
              v -> new ProxyEntry("h", 1080, "u", "p", "socks5", v));
      int[] columnIndex = {0, 2, 3, 5};
      int checked = 0;
      for (int c = 0; c < columns.size(); c++) {
        for (String t : TRIGGERS) {
          String payload = t + "cmd|'/C%20calc'!A0";
          ProxyEntry e;
          try {
            e = columns.get(c).apply(payload);
          } catch (IllegalArgumentException hostRejectsControlChars) {
            assertThat(c).as("only the host column may reject %s", t).isZero();
            assertThat(t).isIn("\t", "\r");
            continue;
          }
          List<String> cells =
              row(parse(ExportRenderer.render(List.of(e), ExportFormat.CSV)).get(0));
          List<String> expected =
              new ArrayList<>(
                  List.of(e.host(), "1080", e.username(), e.password(), "socks5", e.label()));
          expected.set(columnIndex[c], "'" + payload);
          assertThat(cells)
              .as("column %d, trigger %s", columnIndex[c], (int) t.charAt(0))
              .isEqualTo(expected);
          checked++;
        }
      }
      assertThat(checked).isEqualTo(4 * TRIGGERS.length - 2);
      // port is a number and scheme is socks5|http: neither can carry a trigger, and the guard
      // itself does not depend on the column
      for (String t : TRIGGERS) {
        assertThat(ExportRenderer.guard(t + "socks5")).isEqualTo("'" + t + "socks5");
      }
    }

    @Test
    void allTriggersAtOnceAndOnlyTheFirstCharacterCounts() throws IOException {
      ProxyEntry e = new ProxyEntry("=1+1", 1, "+SUM(A1)", "-2+3", "http", "@HYPERLINK(\"x\")");
      ProxyEntry f = new ProxyEntry("a=1", 2, "\tTAB", "\rCR", "socks5", "x@y");
      List<CSVRecord> r = parse(ExportRenderer.render(List.of(e, f), ExportFormat.CSV));
      assertThat(row(r.get(0)))
          .containsExactly("'=1+1", "1", "'+SUM(A1)", "'-2+3", "http", "'@HYPERLINK(\"x\")");
      assertThat(row(r.get(1))).containsExactly("a=1", "2", "'\tTAB", "'\rCR", "socks5", "x@y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1", "'", "' =x", " =x", "\n=x", "#x", "%x", "\u00ff=", "\uff1dx"})
    void nonTriggersAreLeftAlone(String v) {
      assertThat(ExportRenderer.guard(v)).isEqualTo(v);
      assertThat(ExportRenderer.guard("")).isEmpty();
    }
  }

  @Nested
  class JsonFormat {

    static JsonArray parse(byte[] bytes) {
      try (JsonReader r = Json.createReader(new StringReader(new String(bytes, UTF_8)))) {
        return r.readArray();
      }
    }

    static void assertSame(JsonObject o, ProxyEntry e) {
      assertThat(o.keySet())
          .containsExactly("host", "port", "username", "password", "scheme", "label");
      assertThat(o.getString("host")).isEqualTo(e.host());
      assertThat(o.getJsonNumber("port").isIntegral()).isTrue();
      assertThat(o.getInt("port")).isEqualTo(e.port());
      assertThat(o.getString("username")).isEqualTo(e.username());
      assertThat(o.getString("password")).isEqualTo(e.password());
      assertThat(o.getString("scheme")).isEqualTo(e.scheme());
      if (e.label() == null) {
        assertThat(o.get("label")).isEqualTo(JsonValue.NULL);
      } else {
        assertThat(o.getString("label")).isEqualTo(e.label());
      }
    }

    @Test
    void exactShape() {
      assertThat(text(List.of(PLAIN, V4), ExportFormat.JSON))
          .isEqualTo(
              "[{\"host\":\"gw.example.net\",\"port\":1080,\"username\":\"alice\",\"password\":\"pw1\","
                  + "\"scheme\":\"socks5\",\"label\":\"pool-a\"},"
                  + "{\"host\":\"192.0.2.7\",\"port\":3128,\"username\":\"bob\",\"password\":\"pw2\","
                  + "\"scheme\":\"http\",\"label\":null}]");
      assertThat(text(List.of(), ExportFormat.JSON)).isEqualTo("[]");
    }

    @Test
    void escapingIsValidJsonWithTheSameValues() {
      StringBuilder allControls = new StringBuilder();
      for (char c = 0; c < 0x20; c++) {
        allControls.append(c);
      }
      allControls.append('\u007f');
      List<ProxyEntry> entries =
          List.of(
              PLAIN,
              V4,
              V6,
              new ProxyEntry("h", 1, allControls.toString(), "q\"uo\"te", "http", "back\\slash\\"),
              new ProxyEntry("h", 2, "\\\"", "\"\\", "socks5", "\\u0041 is not an escape here"),
              new ProxyEntry(
                  "h",
                  3,
                  "jos\u00e9 \u00fc\u00df \u4e2d\u6587",
                  "\ud83d\udd11\ud83d\ude00",
                  "http",
                  "\u2028line\u2029para</script><!--&amp;"),
              new ProxyEntry("h", 4, "lone \ud800 high", "lone \udc00 low", "http", "\udbff"),
              new ProxyEntry("h", 5, "", "", "socks5", ""));
      byte[] out = ExportRenderer.render(entries, ExportFormat.JSON);
      String s = new String(out, UTF_8);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        assertThat(c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '<' || c == '>')
            .as("raw char U+%04X at %d", (int) c, i)
            .isFalse();
        assertThat(
                Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c)
                        && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && Character.isHighSurrogate(s.charAt(i - 1))))
            .as("unpaired surrogate at %d", i)
            .isFalse();
      }
      JsonArray array = parse(out);
      assertThat(array).hasSize(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        assertSame(array.getJsonObject(i), entries.get(i));
      }
    }

    @Test
    void escapeForms() {
      StringBuilder b = new StringBuilder();
      ExportRenderer.jsonString(
          b, "\"\\\n\r\t\b\f\u0000\u0001\u001f\u007f\u2028\u2029<>&/\u00e9\ud83d\ude00\ud800x");
      assertThat(b.toString())
          .isEqualTo(
              "\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\\u007f\\u2028\\u2029\\u003c\\u003e\\u0026/\u00e9\ud83d\ude00\\ud800x\"");
    }
  }
}
