package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.UsersApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {

  static final UsersApi.User ALICE =
      new UsersApi.User(
          7L,
          "alice",
          true,
          null,
          20,
          null,
          null,
          null,
          List.of("10.0.0.0/8", "192.0.2.1/32"),
          null,
          "has, a \"comma\"",
          "residential",
          null,
          null,
          "2030-01-01T00:00:00Z",
          null);
  static final UsersApi.User BOB =
      new UsersApi.User(
          12L,
          "bob",
          false,
          "2031-01-01T00:00:00Z",
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  private static String render(Output.Format f, java.util.function.Consumer<Output> body) {
    StringWriter s = new StringWriter();
    body.accept(new Output(f, new PrintWriter(s)));
    return s.toString();
  }

  @Test
  void tableAlignsColumnsUnderUpperCaseHeaders() {
    String t =
        render(Output.Format.table, o -> o.list(List.of(ALICE, BOB), "id", "username", "enabled"));
    assertThat(t.lines().toList())
        .containsExactly("ID  USERNAME  ENABLED", "7   alice     true", "12  bob       false");
  }

  @Test
  void tableOfNothingIsJustTheHeader() {
    assertThat(render(Output.Format.table, o -> o.list(List.of(), "id", "name")).strip())
        .isEqualTo("ID  NAME");
  }

  @Test
  void csvQuotesCommasAndQuotesAndJoinsLists() {
    String c =
        render(
            Output.Format.csv,
            o -> o.list(List.of(ALICE, BOB), "id", "allowedSources", "note", "expiresAt"));
    assertThat(c)
        .isEqualTo(
            "id,allowedSources,note,expiresAt\r\n"
                + "7,\"10.0.0.0/8,192.0.2.1/32\",\"has, a \"\"comma\"\"\",\r\n"
                + "12,,,2031-01-01T00:00:00Z\r\n");
  }

  @Test
  void jsonIsTheWholeAnswerAndParses() throws Exception {
    String j = render(Output.Format.json, o -> o.list(List.of(ALICE), "id"));
    JsonNode n = new ObjectMapper().readTree(j);
    assertThat(n.isArray()).isTrue();
    assertThat(n.get(0).get("username").asText()).isEqualTo("alice");
    assertThat(n.get(0).get("defaultPool").asText()).isEqualTo("residential");
    assertThat(n.get(0).has("expiresAt")).as("nulls are left out").isFalse();
  }

  @Test
  void oneObjectInATableIsKeyValueLinesWithDottedKeysForNestedObjects() {
    String t =
        render(Output.Format.table, o -> o.object(new UsersApi.WithPassword(BOB, "s3cret-pass")));
    assertThat(t.lines().toList())
        .containsExactly(
            "user.id              12",
            "user.username        bob",
            "user.enabled         false",
            "user.expiresAt       2031-01-01T00:00:00Z",
            "user.maxConnections  0",
            "password             s3cret-pass");
  }

  @Test
  void oneObjectInCsvIsAHeaderAndARow() {
    String c = render(Output.Format.csv, o -> o.object(Map.of("port", 10001)));
    assertThat(c).isEqualTo("port\r\n10001\r\n");
  }

  @Test
  void notesAppearInTablesOnly() {
    assertThat(render(Output.Format.table, o -> o.note("page 0"))).isEqualTo("page 0\n");
    assertThat(render(Output.Format.json, o -> o.note("page 0"))).isEmpty();
    assertThat(render(Output.Format.csv, o -> o.note("page 0"))).isEmpty();
  }

  @Test
  void csvFieldQuotesLineBreaks() {
    assertThat(Output.csvField("a\nb")).isEqualTo("\"a\nb\"");
    assertThat(Output.csvField("plain")).isEqualTo("plain");
  }
}
