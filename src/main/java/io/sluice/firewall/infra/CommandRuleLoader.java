package io.sluice.firewall.infra;

import io.sluice.firewall.domain.Backend;
import io.sluice.firewall.domain.IptablesRenderer;
import io.sluice.firewall.domain.NftRenderer;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.firewall.domain.Ruleset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link RuleLoader} that runs the real tools: {@code nft}, {@code iptables-restore}, {@code
 * ip6tables-restore}, {@code iptables}/{@code ip6tables} (only {@code -C}, {@code -I} of the jumps
 * to Sluice's chains, {@code -S}, {@code -F} and {@code -X} of Sluice's chains), each optionally
 * prefixed by {@code ip netns exec <netns>}. Rules go through a file readable by the owner only
 * ({@code <dir>/sluice.nft}); every command is killed after 20 seconds.
 */
public final class CommandRuleLoader implements RuleLoader {

  private static final Pattern TAG = Pattern.compile("comment \"?(sluice-[0-9a-f]+)");
  private static final long TIMEOUT_SECONDS = 20;
  private static final String SYSCTL_DROP_IN = "/etc/sysctl.d/60-sluice.conf";

  private final String netns;
  private final Path dir;

  /**
   * @param netns the network namespace to run in ({@code ip netns exec}); {@code null}: this one
   * @param dir where the rules file is written
   */
  public CommandRuleLoader(String netns, Path dir) {
    if (netns != null && !netns.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("bad network namespace name: " + netns);
    }
    this.netns = netns;
    this.dir = dir;
  }

  @Override
  public boolean available(Backend backend) {
    return switch (backend) {
      case NFTABLES -> run(NftRenderer.flush(), "nft", "-c", "-f", "@file").ok();
      case IPTABLES -> run(null, "iptables-restore", "--version").ok();
    };
  }

  @Override
  public Result check(Backend backend, Ruleset rules) {
    return switch (backend) {
      case NFTABLES -> run(rules.text(), "nft", "-c", "-f", "@file");
      case IPTABLES -> {
        Result r4 = run(rules.text(), "iptables-restore", "--noflush", "--test", "@stdin");
        yield r4.ok()
            ? run(rules.text6(), "ip6tables-restore", "--noflush", "--test", "@stdin")
            : r4;
      }
    };
  }

  @Override
  public Result load(Backend backend, Ruleset rules) {
    return switch (backend) {
      case NFTABLES -> run(rules.text(), "nft", "-f", "@file");
      case IPTABLES -> {
        Result r4 = run(rules.text(), "iptables-restore", "--noflush", "@stdin");
        if (!r4.ok()) {
          yield r4;
        }
        Result r6 = run(rules.text6(), "ip6tables-restore", "--noflush", "@stdin");
        if (!r6.ok()) {
          yield r6;
        }
        yield hooks();
      }
    };
  }

  @Override
  public String loadedTag(Backend backend) {
    return switch (backend) {
      case NFTABLES -> {
        Result r = run(null, "nft", "list", "table", NftRenderer.TABLE.split(" ")[0], "sluice");
        yield r.ok() ? tag(r.output()) : null;
      }
      case IPTABLES -> {
        for (IptablesRenderer.Hook h : IptablesRenderer.hooks()) {
          for (String tool : List.of("iptables", "ip6tables")) {
            if (!run(null, tool, "-t", h.table(), "-C", h.builtin(), "-j", h.chain()).ok()) {
              yield null;
            }
          }
        }
        Result r = run(null, "iptables", "-t", "filter", "-S", "SLUICE-IN");
        yield r.ok() ? tag(r.output().replace("--comment ", "comment ")) : null;
      }
    };
  }

  @Override
  public Result remove(Backend backend) {
    return switch (backend) {
      case NFTABLES -> run(NftRenderer.flush(), "nft", "-f", "@file");
      case IPTABLES -> {
        StringBuilder out = new StringBuilder();
        for (String tool : List.of("iptables", "ip6tables")) {
          for (IptablesRenderer.Hook h : IptablesRenderer.hooks()) {
            // -D until the jump is gone (it may have been added twice by hand); bounded
            for (int i = 0; i < 8; i++) {
              if (!run(null, tool, "-t", h.table(), "-D", h.builtin(), "-j", h.chain()).ok()) {
                break;
              }
            }
            run(null, tool, "-t", h.table(), "-F", h.chain());
            Result x = run(null, tool, "-t", h.table(), "-X", h.chain());
            if (!x.ok() && !x.output().contains("No chain")) {
              out.append(x.output());
            }
          }
        }
        yield new Result(out.isEmpty() ? 0 : 1, out.toString());
      }
    };
  }

  @Override
  public String sysctl(String key) {
    checkKey(key);
    Result r = run(null, "sysctl", "-n", key);
    return r.ok() ? r.output().trim() : null;
  }

  @Override
  public Result setSysctl(String key, String value) {
    checkKey(key);
    if (!value.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("bad sysctl value: " + value);
    }
    return run(null, "sysctl", "-w", key + "=" + value);
  }

  @Override
  public Result persistSysctl(java.util.Map<String, String> settings) {
    if (netns != null) {
      return new Result(1, "not persisted: the settings belong to network namespace " + netns);
    }
    StringBuilder b = new StringBuilder("# Written by Sluice (POST /api/v1/firewall/init)\n");
    settings.forEach((k, v) -> {
      checkKey(k);
      b.append(k).append(" = ").append(v).append('\n');
    });
    try {
      Path f = Path.of(SYSCTL_DROP_IN);
      Files.createDirectories(f.getParent());
      Files.writeString(f, b.toString(), StandardCharsets.UTF_8);
      return new Result(0, f.toString());
    } catch (IOException e) {
      return new Result(1, SYSCTL_DROP_IN + ": " + e.getMessage());
    }
  }

  private static void checkKey(String key) {
    if (!key.matches("net\\.ipv[46]\\.[a-z0-9_.-]{1,80}")) {
      throw new IllegalArgumentException("bad sysctl key: " + key);
    }
  }

  /** Adds each jump to Sluice's chains that is not there yet (at the top of the built-in chain). */
  private Result hooks() {
    for (String tool : List.of("iptables", "ip6tables")) {
      for (IptablesRenderer.Hook h : IptablesRenderer.hooks()) {
        if (!run(null, tool, "-t", h.table(), "-C", h.builtin(), "-j", h.chain()).ok()) {
          Result r = run(null, tool, "-t", h.table(), "-I", h.builtin(), "1", "-j", h.chain());
          if (!r.ok()) {
            return r;
          }
        }
      }
    }
    return new Result(0, "");
  }

  static String tag(String listing) {
    Matcher m = TAG.matcher(listing);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Runs a command; {@code @file} in the arguments is replaced by a file holding {@code input},
   * {@code @stdin} (dropped from the arguments) sends {@code input} on standard input.
   */
  private Result run(String input, String... args) {
    List<String> cmd = new ArrayList<>();
    if (netns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", netns));
    }
    Path file = null;
    boolean stdin = false;
    try {
      for (String a : args) {
        if (a.equals("@file")) {
          file = write(input);
          cmd.add(file.toString());
        } else if (a.equals("@stdin")) {
          stdin = true;
        } else {
          cmd.add(a);
        }
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (stdin) {
        file = write(input);
        pb.redirectInput(file.toFile());
      }
      Process p = pb.start();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", cmd) + ": timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, String.join(" ", cmd) + ": interrupted");
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a stale temporary rules file is harmless; the next run writes a new one
        }
      }
    }
  }

  private Path write(String input) throws IOException {
    Files.createDirectories(dir);
    Path f =
        Files.createTempFile(
            dir,
            "sluice-",
            ".rules",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(f, input == null ? "" : input, StandardCharsets.UTF_8);
    return f;
  }
}
