package io.sluice.exits.infra;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Recognises a real IP echo body: JSON with an {@code "ip"} (or httpbin's {@code "origin"})
 * string field, or plain text that is exactly one IPv4/IPv6 address.
 */
final class EchoBody {

  /** Plain addresses only: no prefixes, masks, wildcards, ranges or inet_aton forms. */
  static final IPAddressStringParameters STRICT;

  static {
    IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
        .allowEmpty(false)
        .allowAll(false)
        .allowSingleSegment(false)
        .allowPrefix(false)
        .allowMask(false)
        .allowPrefixOnly(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE)
        .allow_inet_aton(false);
    b.getIPv4AddressParametersBuilder().allowLeadingZeros(false);
    STRICT = b.toParams();
  }

  private EchoBody() {}

  /** The echoed address in canonical form, or {@code null} when the body is not an IP echo. */
  static String ip(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    text = text.strip();
    if (text.startsWith("{")) {
      Object json;
      try {
        json = MiniJson.parse(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (!(json instanceof Map<?, ?> map)) {
        return null;
      }
      if (map.get("ip") instanceof String ip) {
        String a = address(ip);
        if (a != null) {
          return a;
        }
      }
      if (map.get("origin") instanceof String origin) {
        // httpbin: "client, proxy, ..." when forwarded; the first is the client as seen.
        int comma = origin.indexOf(',');
        return address(comma < 0 ? origin : origin.substring(0, comma));
      }
      return null;
    }
    return address(text);
  }

  /** {@code s} (trimmed) as a canonical IPv4/IPv6 address, or {@code null}. */
  static String address(String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 64) {
      return null;
    }
    IPAddressString str = new IPAddressString(t, STRICT);
    if (!str.isIPAddress()) {
      return null;
    }
    IPAddress a = str.getAddress();
    if (a == null || a.isPrefixed() || a.isMultiple()) {
      return null;
    }
    return a.toCanonicalString();
  }
}
