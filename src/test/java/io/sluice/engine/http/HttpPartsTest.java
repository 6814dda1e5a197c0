package io.sluice.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.spi.Destination;
import org.junit.jupiter.api.Test;

class HttpPartsTest {

  @Test
  void absoluteForm() {
    assertThat(HttpTarget.absoluteForm("http://example.com/a/b?q=1#frag"))
        .isEqualTo(new HttpTarget(new Destination("example.com", 80), "example.com", "/a/b?q=1"));
    assertThat(HttpTarget.absoluteForm("HTTP://example.com:8080"))
        .isEqualTo(new HttpTarget(new Destination("example.com", 8080), "example.com:8080", "/"));
    assertThat(HttpTarget.absoluteForm("http://[::1]:81/x"))
        .isEqualTo(new HttpTarget(new Destination("::1", 81), "[::1]:81", "/x"));
    assertThat(HttpTarget.absoluteForm("http://h?x"))
        .isEqualTo(new HttpTarget(new Destination("h", 80), "h", "/?x"));
    assertThat(HttpTarget.absoluteForm("/origin-form")).isNull();
    assertThat(HttpTarget.absoluteForm("https://example.com/")).isNull();
    assertThat(HttpTarget.absoluteForm("http://user:pw@example.com/")).isNull();
    assertThat(HttpTarget.absoluteForm("http://exa mple.com/")).isNull();
    assertThat(HttpTarget.absoluteForm("http://example.com:0/")).isNull();
    assertThat(HttpTarget.absoluteForm("http://example.com:99999/")).isNull();
    assertThat(HttpTarget.absoluteForm("http:///x")).isNull();
  }

  @Test
  void authorityForm() {
    assertThat(HttpTarget.authorityForm("example.com:443").destination())
        .isEqualTo(new Destination("example.com", 443));
    assertThat(HttpTarget.authorityForm("[2001:db8::1]:443").destination())
        .isEqualTo(new Destination("2001:db8::1", 443));
    assertThat(HttpTarget.authorityForm("example.com")).isNull();
    assertThat(HttpTarget.authorityForm("2001:db8::1:443")).isNull();
    assertThat(HttpTarget.authorityForm(":443")).isNull();
  }

  @Test
  void hopByHopHeadersAndTheOnesConnectionNames() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "close, X-A")
            .add("Connection", "x-b")
            .add("X-A", "1")
            .add("X-B", "2")
            .add("X-C", "3")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Connection", "keep-alive")
            .add("Proxy-Authorization", "Basic abc")
            .add("Proxy-Authenticate", "Basic")
            .add("TE", "trailers")
            .add("Trailer", "X-T")
            .add("Transfer-Encoding", "chunked")
            .add("Upgrade", "h2c");
    HopByHop.strip(h);
    assertThat(h.names()).containsExactly("X-C");
  }

  @Test
  void basicCredentials() {
    assertThat(BasicCredentials.parse("Basic YWxpY2U6c2VjcmV0"))
        .isEqualTo(new BasicCredentials("alice", "secret"));
    assertThat(BasicCredentials.parse("basic YWxpY2U6c2U6Y3JldA=="))
        .isEqualTo(new BasicCredentials("alice", "se:cret"));
    assertThat(BasicCredentials.parse("Bearer YWxpY2U6c2VjcmV0")).isNull();
    assertThat(BasicCredentials.parse("Basic !!!")).isNull();
    assertThat(BasicCredentials.parse("Basic bm9jb2xvbg==")).isNull();
    assertThat(BasicCredentials.parse(null)).isNull();
    assertThat(new BasicCredentials("a", "topsecret").toString()).doesNotContain("topsecret");
  }

  @Test
  void failureStatuses() {
    assertThat(HttpReplies.statusFor(FailureKind.LIMIT))
        .isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
    assertThat(HttpReplies.statusFor(FailureKind.DENIED)).isEqualTo(HttpResponseStatus.FORBIDDEN);
    assertThat(HttpReplies.statusFor(FailureKind.TIMEOUT))
        .isEqualTo(HttpResponseStatus.GATEWAY_TIMEOUT);
    assertThat(HttpReplies.statusFor(FailureKind.REFUSED))
        .isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    var r =
        HttpReplies.error(
            io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
            HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
    assertThat(r.headers().get("Proxy-Authenticate")).isEqualTo("Basic realm=\"sluice\"");
    r.release();
  }
}
