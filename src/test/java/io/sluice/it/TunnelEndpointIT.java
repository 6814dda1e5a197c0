package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The /tunnel WebSocket with the JDK's client: HELLO auth, PING, refusals, disable drops at once. */
class TunnelEndpointIT {

  static final FrameCodec CODEC = new FrameCodec();

  /** A minimal agent-side connection collecting frames and the close code. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    WebSocket ws;

    static Client connect() throws Exception {
      Client c = new Client();
      c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + Api.HTTP_PORT + "/tunnel"), c).get(10, TimeUnit.SECONDS);
      return c;
    }

    void send(Frame f) throws Exception {
      ws.sendBinary(CODEC.encode(f), true).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        DecodeResult r = CODEC.decode(ByteBuffer.wrap(partial.toByteArray()), true);
        partial.reset();
        if (r instanceof DecodeResult.Ok ok) {
          frames.add(ok.frame());
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }

  static String[] agent() {
    var r = admin().body(Map.of("name", Api.unique("wsag"))).post("/api/v1/agents");
    return new String[] {String.valueOf((Integer) r.path("agent.id")), r.path("token")};
  }

  @Test
  void helloPingAndDisableDropsTheConnection() throws Exception {
    String[] a = agent();
    Client c = Client.connect();
    c.send(new Frame.Hello(1, a[0], a[1], "it-1.0"));
    Frame ok = c.frames.poll(10, TimeUnit.SECONDS);
    assertThat(ok).isInstanceOf(Frame.HelloOk.class);
    assertThat(((Frame.HelloOk) ok).maxFramePayload()).isEqualTo(FrameCodec.DEFAULT_MAX_PAYLOAD);
    assertThat(admin().get("/api/v1/agents/" + a[0]).<Boolean>path("connected")).isTrue();

    c.send(new Frame.Ping(42L));
    assertThat(c.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Pong(42L));

    admin().post("/api/v1/agents/" + a[0] + "/disable").then().statusCode(200);
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    await().atMost(5, TimeUnit.SECONDS)
        .until(() -> !admin().get("/api/v1/agents/" + a[0]).<Boolean>path("connected"));
  }

  @Test
  void wrongTokenAndPreAuthFramesAndOversizeAreRefused() throws Exception {
    String[] a = agent();
    Client wrong = Client.connect();
    wrong.send(new Frame.Hello(1, a[0], "sat_" + a[0] + "_not-the-token", "it"));
    assertThat(wrong.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(Api.items(admin().queryParam("action", "tunnel.auth").get("/api/v1/audit"))).isNotEmpty();

    Client early = Client.connect();
    early.send(new Frame.Data(1, new byte[] {1, 2, 3}));
    assertThat(early.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);

    Client big = Client.connect();
    big.ws.sendBinary(ByteBuffer.allocate(FrameCodec.DEFAULT_MAX_PAYLOAD + 1000), true).get(10, TimeUnit.SECONDS);
    assertThat(big.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
  }
}
