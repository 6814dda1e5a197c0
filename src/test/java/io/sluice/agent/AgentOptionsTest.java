package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

  static final Function<Path, String> NO_FILES =
      p -> {
        throw new IllegalStateException("no file " + p);
      };

  static AgentOptions parse(String... args) throws UsageException {
    return AgentOptions.parse(List.of(args), Map.of(), NO_FILES);
  }

  @ParameterizedTest
  @CsvSource({"500ms,500", "2s,2000", "1m,60000", "1h,3600000", "' 10s ',10000"})
  void durations(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"''", "0s", "5", "-1s", "1.5s", "2 s", "1d", "ms", "10000000000s"})
  void badDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"850,850ms", "1700,1.7s", "60000,60s"})
  void durationFormat(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @Test
  void defaultsAndAgentIdFromToken() throws UsageException {
    AgentOptions o =
        parse("--server", "wss://sluice.example:9443/tunnel", "--token", "sat_12_abcDEF");
    assertThat(o.agentId()).isEqualTo("12");
    assertThat(o.token()).isEqualTo("sat_12_abcDEF");
    assertThat(o.server().toString()).isEqualTo("wss://sluice.example:9443/tunnel");
    assertThat(o.allowList().isEmpty()).isTrue();
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.reconnectMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.reconnectMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.maxStreams()).isEqualTo(1024);
    assertThat(o.caFile()).isNull();
    assertThat(o.verbose()).isFalse();
    assertThat(o.toString()).doesNotContain("abcDEF").contains("<redacted>");
  }

  @Test
  void everyOption() throws UsageException {
    AgentOptions o =
        parse(
            "--server=ws://127.0.0.1:9080/tunnel",
            "--token",
            "sat_7_x_y",
            "--agent-id",
            "office",
            "--allow",
            "127.0.0.1:3389,10.0.0.0/8:5432",
            "--allow",
            "[2001:db8::/32]:443",
            "--connect-timeout",
            "500ms",
            "--ping-interval",
            "2s",
            "--reconnect-min",
            "100ms",
            "--reconnect-max",
            "1m",
            "--max-streams",
            "7",
            "--ca-file",
            "/tmp/ca.pem",
            "--verbose");
    assertThat(o.agentId()).isEqualTo("office");
    assertThat(o.allowList().rules()).hasSize(3);
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.reconnectMin()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.reconnectMax()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.maxStreams()).isEqualTo(7);
    assertThat(o.caFile()).isEqualTo(Path.of("/tmp/ca.pem"));
    assertThat(o.verbose()).isTrue();
  }

  @Test
  void tokenFromFileOrEnvironment() throws UsageException {
    AgentOptions f =
        AgentOptions.parse(
            List.of("--server", "ws://h/tunnel", "--token-file", "/secret"),
            Map.of(),
            p -> p.equals(Path.of("/secret")) ? "sat_31_fromfile\n" : null);
    assertThat(f.token()).isEqualTo("sat_31_fromfile");
    assertThat(f.agentId()).isEqualTo("31");
    AgentOptions e =
        AgentOptions.parse(
            List.of("--server", "ws://h/tunnel"),
            Map.of(AgentOptions.TOKEN_ENV, "sat_5_env"),
            NO_FILES);
    assertThat(e.agentId()).isEqualTo("5");
    AgentOptions both =
        AgentOptions.parse(
            List.of("--server", "ws://h/tunnel", "--token", "sat_6_arg"),
            Map.of(AgentOptions.TOKEN_ENV, "sat_5_env"),
            NO_FILES);
    assertThat(both.token()).isEqualTo("sat_6_arg");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--token sat_1_a|--server is required",
        "--server http://h/tunnel --token sat_1_a|ws:// or wss://",
        "--server ws:///x --token sat_1_a|ws:// or wss://",
        "--server ws://h/t|a token is required",
        "--server ws://h/t --token notatoken|--agent-id",
        "--server ws://h/t --token sat_x_abc|--agent-id",
        "--server ws://h/t --token sat_1_a --token-file /f|only one",
        "--server ws://h/t --token sat_1_a --connect-timeout 0s|--connect-timeout",
        "--server ws://h/t --token sat_1_a --ping-interval 5|--ping-interval",
        "--server ws://h/t --token sat_1_a --reconnect-min 2m --reconnect-max 1m|--reconnect-min must not exceed",
        "--server ws://h/t --token sat_1_a --max-streams 0|--max-streams",
        "--server ws://h/t --token sat_1_a --max-streams x|--max-streams",
        "--server ws://h/t --token sat_1_a --allow 10.0.0.0/33:22|prefix",
        "--server ws://h/t --token sat_1_a --allow 10.0.0.1|expected TARGET:PORTS",
        "--server ws://h/t --token sat_1_a --bogus 1|unknown option --bogus",
        "--server ws://h/t --token sat_1_a stray|unexpected argument",
        "--server ws://h/t --token sat_1_a --allow|--allow needs a value",
        "--server ws://h/t --token sat_1_a --verbose=yes|takes no value",
      })
  void errors(String line, String message) {
    assertThatThrownBy(() -> parse(line.split(" ")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void errorsNeverEchoTheToken() {
    String longToken = "sat_1_" + "s".repeat(300);
    assertThatThrownBy(() -> parse("--server", "ws://h/t", "--token", longToken))
        .isInstanceOf(UsageException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sss"));
    String ctlId = "sat_1_secretvalue";
    assertThatThrownBy(
            () -> parse("--server", "ws://h/t", "--token", ctlId, "--agent-id", "a\u0001b"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretvalue"));
  }

  @Test
  void mainExitsWith2OnBadArgumentsAnd0OnHelp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AgentMain.run(
            Arrays.asList("--server", "ftp://x", "--token", "sat_1_zzz"),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage:")
        .contains("--server must be")
        .doesNotContain("sat_1_zzz");
    assertThat(out.size()).isZero();
    int help =
        AgentMain.run(
            List.of("--help"),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(help).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--reconnect-max")
        .contains("--ca-file");
  }
}
