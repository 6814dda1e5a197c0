package io.sluice.engine.fuzz;

import static io.sluice.engine.fuzz.FuzzHarness.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.fuzz.FuzzHarness.Result;
import io.sluice.engine.http.HttpProxyFrontend;
import io.sluice.engine.socks4.Socks4Handshake;
import io.sluice.engine.socks5.Socks5GreetingDecoder;
import io.sluice.engine.socks5.Socks5Handshake;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz tests (Jazzer) of the SOCKS5, SOCKS4/4a and HTTP proxy front ends, driven
 * through the production decoders and handshake handlers on an EmbeddedChannel (see {@link
 * FuzzHarness}). Invariants checked for every input, delivered whole and in pseudo-random chunks:
 *
 * <ul>
 *   <li>no exception reaches the end of the pipeline, and no handler swallows one by closing
 *       without an answer;
 *   <li>the channel is either still open, having sent only non-final replies (it waits for more
 *       bytes), or closed after exactly one final reply that is well-formed for the protocol;
 *   <li>for SOCKS (our own decoders) the answer does not depend on how the bytes were split;
 *   <li>every input buffer is released, and Netty's PARANOID leak detector reports nothing.
 * </ul>
 *
 * <p><b>Regression mode</b> (plain {@code mvn test}, no {@code JAZZER_FUZZ}): each method runs only
 * on its seed corpus, {@code
 * src/test/resources/io/sluice/engine/fuzz/DecoderFuzzTestInputs/<method>/} (raw bytes, one input
 * per file), plus the empty input.
 *
 * <p><b>Fuzzing</b>, one method per run, bounded in time (jazzer-junit 0.30 reads Jazzer options
 * from {@code jazzer.*} system properties, which Surefire passes on to the test JVM):
 *
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * JAZZER_FUZZ=1 mvn -o -B test -Dtest='DecoderFuzzTest#socks5Request' -Djazzer.max_duration=60s
 * </pre>
 *
 * The annotation's {@code maxDuration} (2 minutes) is the default bound. New interesting inputs go
 * to {@code .cifuzz-corpus/} in the project directory (gitignored); a failing input is written as
 * {@code crash-*} into the Inputs directory of the method under {@code src/test/resources} and from
 * then on runs as a regression test: check it in once fixed.
 */
class DecoderFuzzTest {

  private static final byte[] NONE = {};
  private static final byte[] GREETING_NO_AUTH = {5, 1, 0};
  private static final byte[] GREETING_PASSWORD = {5, 1, 2};
  private static final Set<Integer> HTTP_STATUSES =
      Set.of(400, 403, 407, 414, 429, 431, 501, 502, 504);

  @AfterAll
  static void noLeaks() {
    FuzzHarness.assertNoLeakReports(true, 1);
  }

  // ---------------------------------------------------------------------------------- SOCKS5

  private static BiConsumer<EmbeddedChannel, EngineContext> socks5(boolean authRequired) {
    return (ch, ctx) -> {
      ch.pipeline().addLast(Socks5Handshake.DECODER, new Socks5GreetingDecoder());
      ch.pipeline()
          .addLast(
              Socks5Handshake.NAME,
              new Socks5Handshake(
                  ctx, new SessionEstablisher(ctx), FuzzHarness.info(), authRequired));
    };
  }

  /** Method selection (RFC 1928 section 3), and whatever follows it, on both listener kinds. */
  @FuzzTest(maxDuration = "2m")
  void socks5Greeting(byte[] data) {
    socks5(true, NONE, data);
    socks5(false, NONE, data);
  }

  /** RFC 1929 username/password after a greeting offering only X'02'. */
  @FuzzTest(maxDuration = "2m")
  void socks5Auth(byte[] data) {
    Result r = socks5(true, GREETING_PASSWORD, data);
    check(
        r.out().length >= 2 && r.out()[0] == 5 && r.out()[1] == 2,
        "password method not selected",
        data,
        r);
  }

  /** The request (RFC 1928 section 4) after a no-auth method selection. */
  @FuzzTest(maxDuration = "2m")
  void socks5Request(byte[] data) {
    Result r = socks5(false, GREETING_NO_AUTH, data);
    check(
        r.out().length >= 2 && r.out()[0] == 5 && r.out()[1] == 0,
        "no-auth method not selected",
        data,
        r);
  }

  private static Result socks5(boolean authRequired, byte[] prefix, byte[] data) {
    Result whole = FuzzHarness.drive(socks5(authRequired), prefix, data, false);
    checkSocks5(whole, data);
    Result chunked = FuzzHarness.drive(socks5(authRequired), prefix, data, true);
    checkSocks5(chunked, data);
    check(
        Arrays.equals(whole.out(), chunked.out()) && whole.open() == chunked.open(),
        "chunked delivery answered differently: "
            + FuzzHarness.hex(chunked.out())
            + (chunked.open() ? " open" : " closed")
            + " vs whole",
        data,
        whole);
    FuzzHarness.assertNoLeakReports(false, 4096);
    return whole;
  }

  private enum S5 {
    METHOD,
    AUTH,
    REQUEST,
    RELAY
  }

  /**
   * Parses the reply stream: METHOD (VER 5, X'00'/X'02'/X'FF'), then for X'02' the RFC 1929 status
   * (VER 1, 0 or 1), then the request reply (VER 5, REP 0-8, RSV 0, ATYP 1 or 4, address, port).
   * X'FF', status 1 and REP != 0 are final: the channel must be closed right after and only after
   * one of them.
   */
  private static void checkSocks5(Result r, byte[] data) {
    byte[] o = r.out();
    S5 phase = S5.METHOD;
    boolean fin = false;
    int i = 0;
    while (i < o.length && phase != S5.RELAY) {
      check(!fin, "bytes after a final reply", data, r);
      switch (phase) {
        case METHOD -> {
          check(o.length - i >= 2 && o[i] == 5, "bad method-selection reply", data, r);
          int m = o[i + 1] & 0xFF;
          check(m == 0 || m == 2 || m == 0xFF, "bad METHOD " + m, data, r);
          phase = m == 0 ? S5.REQUEST : S5.AUTH;
          fin = m == 0xFF;
          i += 2;
        }
        case AUTH -> {
          check(
              o.length - i >= 2 && o[i] == 1 && (o[i + 1] == 0 || o[i + 1] == 1),
              "bad RFC 1929 status",
              data,
              r);
          fin = o[i + 1] == 1;
          phase = S5.REQUEST;
          i += 2;
        }
        case REQUEST -> {
          check(
              o.length - i >= 4 && o[i] == 5 && o[i + 2] == 0, "bad request reply header", data, r);
          int rep = o[i + 1] & 0xFF;
          int atyp = o[i + 3];
          check(rep <= 8 && (atyp == 1 || atyp == 4), "bad REP/ATYP " + rep + "/" + atyp, data, r);
          int len = 4 + (atyp == 1 ? 4 : 16) + 2;
          check(o.length - i >= len, "truncated request reply", data, r);
          fin = rep != 0;
          // nothing can be reached here (no exit connector), so every request must fail
          check(fin, "request succeeded without an exit connector", data, r);
          phase = S5.RELAY;
          i += len;
        }
        case RELAY -> {}
      }
    }
    check(i == o.length || phase == S5.RELAY, "trailing reply bytes", data, r);
    if (r.open()) {
      check(!fin, "final reply sent but the connection stays open", data, r);
    } else {
      check(fin, "closed without a final reply", data, r);
    }
  }

  // ---------------------------------------------------------------------------------- SOCKS4

  /** SOCKS4/4a CONNECT requests, on a listener with and without authentication. */
  @FuzzTest(maxDuration = "2m")
  void socks4Request(byte[] data) {
    for (boolean authRequired : new boolean[] {true, false}) {
      BiConsumer<EmbeddedChannel, EngineContext> install =
          (ch, ctx) ->
              Socks4Handshake.install(
                  ch.pipeline(),
                  new Socks4Handshake(
                      ctx, new SessionEstablisher(ctx), FuzzHarness.info(), authRequired));
      Result whole = FuzzHarness.drive(install, NONE, data, false);
      checkSocks4(whole, data);
      Result chunked = FuzzHarness.drive(install, NONE, data, true);
      checkSocks4(chunked, data);
      check(
          Arrays.equals(whole.out(), chunked.out()) && whole.open() == chunked.open(),
          "chunked delivery answered differently",
          data,
          chunked);
    }
    FuzzHarness.assertNoLeakReports(false, 4096);
  }

  /** Open with no answer, or closed after exactly one 8-byte reply VN 0, CD X'5B'. */
  private static void checkSocks4(Result r, byte[] data) {
    if (r.open()) {
      check(r.out().length == 0, "answered but still open", data, r);
    } else {
      check(
          r.out().length == 8 && r.out()[0] == 0 && (r.out()[1] & 0xFF) == 0x5B,
          "closed without exactly one rejection reply",
          data,
          r);
    }
  }

  // ------------------------------------------------------------------------------------ HTTP

  /**
   * HTTP proxy request heads (CONNECT and absolute-form), with a 1 KiB head limit so that the
   * fuzzer reaches 431 with small inputs. Whole and chunked delivery must both give either no
   * answer (still open, waiting for the rest of the head) or one error response and a close.
   */
  @FuzzTest(maxDuration = "2m")
  void httpRequestHead(byte[] data) {
    BiConsumer<EmbeddedChannel, EngineContext> install =
        (ch, ctx) ->
            HttpProxyFrontend.install(
                ch.pipeline(),
                ctx,
                new HttpProxyFrontend(ctx, new SessionEstablisher(ctx), FuzzHarness.info(), true));
    checkHttp(FuzzHarness.drive(install, NONE, data, false), data);
    checkHttp(FuzzHarness.drive(install, NONE, data, true), data);
    FuzzHarness.assertNoLeakReports(false, 4096);
  }

  private static void checkHttp(Result r, byte[] data) {
    if (r.open()) {
      check(r.out().length == 0, "answered but still open", data, r);
      return;
    }
    String s = new String(r.out(), StandardCharsets.ISO_8859_1);
    check(
        s.startsWith("HTTP/1.1 ") && s.length() >= 12, "closed without an HTTP response", data, r);
    int status;
    try {
      status = Integer.parseInt(s.substring(9, 12));
    } catch (NumberFormatException e) {
      status = -1;
    }
    check(HTTP_STATUSES.contains(status), "unexpected status " + status, data, r);
    int headEnd = s.indexOf("\r\n\r\n");
    check(headEnd > 0, "response head not terminated", data, r);
    String head = s.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    check(
        head.contains("\r\nconnection: close"),
        "error response without Connection: close",
        data,
        r);
    int cl = head.indexOf("\r\ncontent-length: ");
    check(cl > 0, "error response without Content-Length", data, r);
    int length = Integer.parseInt(head.substring(cl + 18).split("\r\n", 2)[0].trim());
    check(s.length() == headEnd + 4 + length, "more or less than one response", data, r);
    if (status == 407) {
      check(
          head.contains("\r\nproxy-authenticate: basic"),
          "407 without Proxy-Authenticate",
          data,
          r);
    }
  }
}
