package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's settings, parsed from the command line. {@code toString()} never prints the token.
 *
 * @param server {@code ws://} or {@code wss://} URL of Sluice's {@code /tunnel} endpoint
 * @param agentId HELLO agentId (from {@code --agent-id} or the token {@code sat_<id>_...})
 * @param token HELLO token (secret)
 * @param allowList targets the server may open (empty = none)
 * @param caFile PEM with the CA certificates to trust for {@code wss://}, or null
 * @param direct whether streams may use direct data connections to the server
 */
public record AgentOptions(
    URI server,
    String agentId,
    String token,
    AllowList allowList,
    Duration connectTimeout,
    Duration pingInterval,
    Duration reconnectMin,
    Duration reconnectMax,
    int maxStreams,
    Path caFile,
    boolean verbose,
    Direct direct) {

  /**
   * Direct data connections: {@code auto} uses them with a {@code ws://} server (the WebSocket is
   * not encrypted either), never with {@code wss://}; {@code always} also with {@code wss://} (the
   * stream's bytes then travel unencrypted: for private networks); {@code off} never.
   */
  public enum Direct {
    AUTO,
    ALWAYS,
    OFF
  }

  /** True when this agent announces the {@code direct} feature and takes OPEN_DIRECT. */
  public boolean usesDirect() {
    return direct == Direct.ALWAYS
        || direct == Direct.AUTO && "ws".equalsIgnoreCase(server.getScheme());
  }

  /** Name of the environment variable that may hold the token. */
  public static final String TOKEN_ENV = "SLUICE_AGENT_TOKEN";

  private static final Pattern TOKEN_ID = Pattern.compile("sat_([0-9]{1,19})_.+", Pattern.DOTALL);

  public static final String USAGE =
      """
      usage: java -jar sluice-agent.jar --server URL (--token TOKEN | --token-file PATH) [options]
        --server URL            ws:// or wss:// URL of the tunnel endpoint, e.g. wss://sluice.example:9443/tunnel
        --token TOKEN           agent token sat_<id>_<secret> (or --token-file, or env SLUICE_AGENT_TOKEN)
        --token-file PATH       read the token from a file (first line)
        --agent-id ID           agent id to send (default: the <id> in the token)
        --allow LIST            targets the server may open, repeatable and comma-separated:
                                CIDR:PORTS, IP:PORTS, [IPv6/prefix]:PORTS, hostname:PORTS;
                                PORTS = 443 | 1000-2000 | *  (default: nothing is allowed)
        --connect-timeout DUR   TCP connect timeout to targets and to the server (default 10s)
        --ping-interval DUR     WebSocket ping interval; 3 silent intervals drop the connection (default 20s)
        --reconnect-min DUR     smallest reconnect delay (default 1s)
        --reconnect-max DUR     largest reconnect delay (default 60s)
        --max-streams N         concurrent streams, more are refused (default 1024)
        --ca-file PEM           trust these CA certificates for wss:// (default: the JDK's trust store)
        --direct MODE           auto | always | off: carry streams over direct TCP connections to the
                                server's data port when it offers one (faster; unencrypted). auto
                                (default) = only with ws://, always = also with wss://
        --verbose               log every stream
        --help                  print this help
      DUR is e.g. 500ms, 2s, 1m.
      """;

  /** True if {@code --help} is among the arguments. */
  public static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /**
   * Parses the command line.
   *
   * @param env environment ({@link #TOKEN_ENV})
   * @param readFile reads a token file (trimmed by the caller here)
   * @throws UsageException with a message that never contains the token
   */
  public static AgentOptions parse(
      List<String> args, Map<String, String> env, Function<Path, String> readFile)
      throws UsageException {
    String server = null;
    String token = null;
    String tokenFile = null;
    String agentId = null;
    List<String> allow = new ArrayList<>();
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration pingInterval = Duration.ofSeconds(20);
    Duration reconnectMin = Duration.ofSeconds(1);
    Duration reconnectMax = Duration.ofSeconds(60);
    int maxStreams = 1024;
    Direct direct = Direct.AUTO;
    Path caFile = null;
    boolean verbose = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--verbose")) {
        if (value != null) {
          throw new UsageException("--verbose takes no value");
        }
        verbose = true;
        continue;
      }
      if (!name.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException(name + " needs a value");
        }
        value = args.get(++i);
      }
      try {
        switch (name) {
          case "--server" -> server = value;
          case "--token" -> token = value;
          case "--token-file" -> tokenFile = value;
          case "--agent-id" -> agentId = value;
          case "--allow" -> allow.add(value);
          case "--connect-timeout" -> connectTimeout = Durations.parse(value);
          case "--ping-interval" -> pingInterval = Durations.parse(value);
          case "--reconnect-min" -> reconnectMin = Durations.parse(value);
          case "--reconnect-max" -> reconnectMax = Durations.parse(value);
          case "--max-streams" -> maxStreams = positiveInt(name, value);
          case "--ca-file" -> caFile = Path.of(value);
          case "--direct" ->
              direct =
                  switch (value.toLowerCase(Locale.ROOT)) {
                    case "auto" -> Direct.AUTO;
                    case "always" -> Direct.ALWAYS;
                    case "off" -> Direct.OFF;
                    default -> throw new IllegalArgumentException("must be auto, always or off");
                  };
          default -> throw new UsageException("unknown option " + name);
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(name + ": " + e.getMessage());
      }
    }
    URI uri = serverUri(server);
    if (token != null && tokenFile != null) {
      throw new UsageException("use only one of --token and --token-file");
    }
    if (tokenFile != null) {
      try {
        token = firstLine(readFile.apply(Path.of(tokenFile)));
      } catch (RuntimeException e) {
        throw new UsageException("cannot read --token-file " + tokenFile);
      }
    } else if (token == null && env.get(TOKEN_ENV) != null) {
      token = firstLine(env.get(TOKEN_ENV));
    }
    if (token == null || token.isEmpty()) {
      throw new UsageException("a token is required: --token, --token-file or " + TOKEN_ENV);
    }
    if (agentId == null) {
      Matcher m = TOKEN_ID.matcher(token);
      if (!m.matches()) {
        throw new UsageException("the token is not of the form sat_<id>_<secret>; give --agent-id");
      }
      agentId = m.group(1);
    }
    if (reconnectMin.compareTo(reconnectMax) > 0) {
      throw new UsageException("--reconnect-min must not exceed --reconnect-max");
    }
    AllowList allowList;
    try {
      allowList = AllowList.parse(allow);
      new Frame.Hello(Frame.PROTOCOL_VERSION, agentId, token, "");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new AgentOptions(
        uri,
        agentId,
        token,
        allowList,
        connectTimeout,
        pingInterval,
        reconnectMin,
        reconnectMax,
        maxStreams,
        caFile,
        verbose,
        direct);
  }

  /** Reads a token file with the JDK (the production {@code readFile}). */
  public static String readFile(Path p) {
    try {
      return java.nio.file.Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable");
    }
  }

  private static URI serverUri(String server) throws UsageException {
    if (server == null) {
      throw new UsageException("--server is required");
    }
    URI uri;
    try {
      uri = new URI(server);
    } catch (java.net.URISyntaxException e) {
      throw new UsageException("--server: invalid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
      throw new UsageException("--server must be a ws:// or wss:// URL with a host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new UsageException("--server must not contain user info or a fragment");
    }
    return uri;
  }

  private static int positiveInt(String name, String value) {
    if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1) {
      throw new IllegalArgumentException("must be a positive integer");
    }
    return Integer.parseInt(value);
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }

  @Override
  public String toString() {
    return "AgentOptions[server="
        + server
        + ", agentId="
        + agentId
        + ", token=<redacted>, allow="
        + allowList.rules().size()
        + " entries, connectTimeout="
        + connectTimeout
        + ", pingInterval="
        + pingInterval
        + ", reconnect="
        + reconnectMin
        + ".."
        + reconnectMax
        + ", maxStreams="
        + maxStreams
        + ", caFile="
        + caFile
        + ", verbose="
        + verbose
        + ", direct="
        + direct
        + "]";
  }
}
