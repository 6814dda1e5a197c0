package io.sluice.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the CLI takes from its surroundings: environment variables, standard input and the terminal
 * for prompts. Tests pass their own; {@link #system()} is the real one.
 */
public final class Env {

  /** Asks the person at the terminal; null when there is no terminal. */
  public interface Prompter {
    String readLine(String prompt);

    char[] readPassword(String prompt);
  }

  private final Map<String, String> vars;
  private final BufferedReader stdin;
  private final Prompter prompter;

  public Env(Map<String, String> vars, InputStream stdin, Prompter prompter) {
    this.vars = Map.copyOf(vars);
    this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    this.prompter = prompter;
  }

  public static Env system() {
    Console console = System.console();
    Prompter p =
        console == null || !isTerminal(console)
            ? null
            : new Prompter() {
              @Override
              public String readLine(String prompt) {
                return console.readLine("%s", prompt);
              }

              @Override
              public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
              }
            };
    return new Env(System.getenv(), System.in, p);
  }

  /**
   * Whether the console is a terminal. From JDK 22 {@code System.console()} answers even when input
   * and output are redirected; {@code Console.isTerminal()} (JDK 22, called reflectively because
   * the CLI runs on 21) tells them apart. On 21 a console exists only for a terminal.
   */
  static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException onJdk21) {
      return true;
    }
  }

  /** An environment variable, or null when unset or empty. */
  public String get(String name) {
    String v = vars.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The next line of standard input without its line end, or null at the end. */
  public String readStdinLine() {
    try {
      return stdin.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The terminal, or null when the CLI runs without one (scripts, pipes, tests). */
  public Prompter prompter() {
    return prompter;
  }
}
