package io.sluice.firewall.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A rendered ruleset for one backend: for nftables one file, for iptables the IPv4 and IPv6 restore
 * inputs. {@code tag} ({@code sluice-<12 hex digits of SHA-256>} of the model's rendering) is
 * written into the rules so that the loaded version can be read back (drift detection).
 */
public record Ruleset(Backend backend, String tag, String text, String text6) {

  /** Renders the model for the backend. */
  public static Ruleset render(Backend backend, FirewallModel model) {
    String body = NftRenderer.render(model, "sluice");
    String tag = "sluice-" + digest(body);
    return switch (backend) {
      case NFTABLES -> new Ruleset(backend, tag, NftRenderer.render(model, tag), null);
      case IPTABLES ->
          new Ruleset(
              backend,
              tag,
              IptablesRenderer.render(model, 4, tag),
              IptablesRenderer.render(model, 6, tag));
    };
  }

  /** Everything as one text (the API's view). */
  public String combined() {
    return text6 == null ? text : text + text6;
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
