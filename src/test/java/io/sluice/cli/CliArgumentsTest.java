package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Problem;
import io.sluice.client.SluiceApiException;
import io.sluice.client.SluiceConnectionException;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parsing, defaults and exit codes, without a server (a closed port where one is needed). */
class CliArgumentsTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err, SluiceCli root) {}

  Run run(Map<String, String> vars, String... args) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("HOME", tmp.toString()));
    all.putAll(vars);
    CommandLine cl =
        SluiceCli.commandLine(new Env(all, new ByteArrayInputStream(new byte[0]), null));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString(), cl.getCommand());
  }

  @Test
  void helpListsEveryCommandGroup() {
    Run r = run(Map.of(), "--help");
    assertThat(r.code()).isZero();
    for (String c :
        List.of(
            "login",
            "logout",
            "users",
            "exits",
            "pools",
            "providers",
            "agents",
            "tunnels",
            "sessions",
            "stats",
            "exports",
            "tor",
            "vms",
            "firewall",
            "alerts",
            "completion")) {
      assertThat(r.out()).contains("  " + c + " ");
    }
  }

  @Test
  void unknownCommandOrOptionIsAUsageError() {
    assertThat(run(Map.of(), "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run(Map.of(), "users", "list", "--colour").code()).isEqualTo(ExitCodes.USAGE);
    Run r = run(Map.of(), "-o", "yaml", "users", "list");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("table, json, csv");
  }

  @Test
  void aGroupWithoutSubcommandIsAUsageError() {
    Run r = run(Map.of(), "users");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required subcommand");
  }

  @Test
  void requiredOptionsAreChecked() {
    Run r = run(Map.of(), "exits", "create", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--kind");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheSubcommand() {
    Run before = run(Map.of(), "-o", "json", "--server", "http://127.0.0.1:1", "completion");
    assertThat(before.root().format).isEqualTo(Output.Format.json);
    assertThat(before.root().serverUrl()).isEqualTo("http://127.0.0.1:1");
    Run after = run(Map.of(), "completion", "-o", "CSV", "-s", "http://127.0.0.1:2");
    assertThat(after.root().format).isEqualTo(Output.Format.csv);
    assertThat(after.root().serverUrl()).isEqualTo("http://127.0.0.1:2");
  }

  @Test
  void serverComesFromOptionThenEnvironmentThenStoredLoginThenDefault() {
    assertThat(run(Map.of(), "completion").root().serverUrl()).isEqualTo("http://localhost:9080");
    assertThat(run(Map.of("SLUICE_URL", "http://env:1"), "completion").root().serverUrl())
        .isEqualTo("http://env:1");
    assertThat(
            run(Map.of("SLUICE_URL", "http://env:1"), "-s", "http://opt:2", "completion")
                .root()
                .serverUrl())
        .isEqualTo("http://opt:2");
    new CredentialsStore(tmp.resolve(".config/sluice/credentials.json"))
        .save(new CredentialsStore.Credentials("http://stored:3", "ops", "t", 0, null, 0));
    assertThat(run(Map.of(), "completion").root().serverUrl()).isEqualTo("http://stored:3");
  }

  @Test
  void withoutLoginOrTokenTheExitCodeSaysUnauthorized() {
    Run r = run(Map.of(), "users", "list");
    assertThat(r.code()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(r.err()).contains("not logged in");
  }

  @Test
  void anUnreachableServerHasItsOwnExitCode() {
    Run r = run(Map.of("SLUICE_TOKEN", "t", "SLUICE_URL", "http://127.0.0.1:1"), "stats");
    assertThat(r.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).startsWith("error: cannot reach http://127.0.0.1:1");
  }

  @Test
  void aBadServerUrlIsAUsageError() {
    Run r = run(Map.of("SLUICE_TOKEN", "t"), "-s", "ftp://x", "stats");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("not an http(s) URL");
  }

  @Test
  void loginWithoutTerminalNeedsPasswordStdin() {
    Run r = run(Map.of(), "-s", "http://127.0.0.1:1", "login");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--password-stdin");
  }

  @Test
  void idsMustBeNumbers() {
    Run r =
        run(Map.of("SLUICE_TOKEN", "t", "SLUICE_URL", "http://127.0.0.1:1"), "exits", "show", "x1");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("exit must be a numeric id");
  }

  @Test
  void exitCodesPerStatus() {
    assertThat(ExitCodes.forStatus(400)).isEqualTo(ExitCodes.INVALID);
    assertThat(ExitCodes.forStatus(401)).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(ExitCodes.forStatus(403)).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(ExitCodes.forStatus(404)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.forStatus(410)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.forStatus(409)).isEqualTo(ExitCodes.CONFLICT);
    assertThat(ExitCodes.forStatus(413)).isEqualTo(ExitCodes.INVALID);
    assertThat(ExitCodes.forStatus(429)).isEqualTo(ExitCodes.TOO_MANY_REQUESTS);
    assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.SERVER_ERROR);
  }

  @Test
  void problemsArePrintedWithTitleDetailAndFieldErrors() {
    CommandLine cl =
        SluiceCli.commandLine(new Env(Map.of(), new ByteArrayInputStream(new byte[0]), null));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code =
        SluiceCli.handle(
            new SluiceApiException(
                400,
                new Problem(
                    "/docs/problems#validation",
                    "Validation failed",
                    400,
                    "1 field is invalid",
                    List.of(new Problem.FieldError("port", "must be 1-65535")))),
            cl,
            null);
    assertThat(code).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString())
        .isEqualTo(
            "error: Validation failed: 1 field is invalid (HTTP 400, validation)\n"
                + "  port: must be 1-65535\n");
    assertThat(
            SluiceCli.handle(
                new SluiceConnectionException("cannot reach x", new ConnectException()), cl, null))
        .isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void completionScriptCoversTheCommands() {
    Run r = run(Map.of(), "completion", "bash");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F").contains("users");
    assertThat(run(Map.of(), "completion", "fish").code()).isEqualTo(ExitCodes.USAGE);
  }
}
