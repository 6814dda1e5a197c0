package io.sluice.exits.infra;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Recognises a real IP echo body: plain text that is exactly one IPv4/IPv6 address, or one JSON
 * object with the address in one of these string fields, tried in this order, the first that holds
 * an address wins:
 *
 * <ol>
 *   <li>{@code ip}: ipify, ipinfo, ifconfig.co, ipapi.co, Oxylabs, Bright Data, Sluice's own echo
 *   <li>{@code proxy.ip}: Decodo (Smartproxy) {@code ip.decodo.com/json}, {@code
 *       {"proxy":{"ip":"..."},...}}
 *   <li>{@code origin}: httpbin (the first of a comma-separated list)
 *   <li>{@code query}: ip-api.com
 *   <li>{@code ip_addr}: ifconfig.me {@code /all.json}
 * </ol>
 *
 * JSON is parsed with JSON-P (the server's provider; Parsson in tests), strictly: one object and
 * nothing after it.
 */
final class EchoBody {

  /** Plain addresses only: no prefixes, masks, wildcards, ranges or inet_aton forms. */
  static final IPAddressStringParameters STRICT;

  /** Looked up once: provider discovery per body would cost more than the parse. */
  private static final JsonParserFactory JSON = Json.createParserFactory(Map.of());

  static {
    IPAddressStringParameters.Builder b =
        new IPAddressStringParameters.Builder()
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
  static String ip(String body) {
    String text = body.startsWith("\uFEFF") ? body.substring(1) : body;
    text = text.strip();
    if (!text.startsWith("{")) {
      return address(text);
    }
    JsonObject json = object(text);
    if (json == null) {
      return null;
    }
    for (String path : FIELDS) {
      String a = field(json, path);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  /** The JSON fields that may hold the address, in order; a dot walks into a nested object. */
  static final List<String> FIELDS = List.of("ip", "proxy.ip", "origin", "query", "ip_addr");

  /** The address in the string at {@code path} of {@code json}, or {@code null}. */
  private static String field(JsonObject json, String path) {
    JsonObject at = json;
    String[] names = path.split("\\.");
    for (int k = 0; k < names.length - 1; k++) {
      if (!(at.get(names[k]) instanceof JsonObject inner)) {
        return null;
      }
      at = inner;
    }
    if (!(at.get(names[names.length - 1]) instanceof JsonString value)) {
      return null;
    }
    String v = value.getString();
    if (path.equals("origin")) {
      // httpbin: "client, proxy, ..." when forwarded; the first is the client as seen.
      int comma = v.indexOf(',');
      v = comma < 0 ? v : v.substring(0, comma);
    }
    return address(v);
  }

  /** {@code text} as exactly one JSON object, or {@code null}. */
  private static JsonObject object(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        return null;
      }
      JsonObject object = parser.getObject();
      return parser.hasNext() ? null : object; // trailing data (a provider may also throw here)
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      return null;
    }
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
