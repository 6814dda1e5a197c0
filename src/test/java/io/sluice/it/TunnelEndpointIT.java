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

/**
 * The /tunnel WebSocket with the JDK's client: HELLO auth, PING, refusals, disable drops at once.
 */
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
      c.ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + Api.HTTP_PORT + "/tunnel"), c)
              .get(10, TimeUnit.SECONDS);
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
    assertThat(nextNonPing(c)).isEqualTo(new Frame.Pong(42L));

    admin().post("/api/v1/agents/" + a[0] + "/disable").then().statusCode(200);
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> !admin().get("/api/v1/agents/" + a[0]).<Boolean>path("connected"));
  }

  @Test
  void wrongTokenAndPreAuthFramesAndOversizeAreRefused() throws Exception {
    String[] a = agent();
    Client wrong = Client.connect();
    wrong.send(new Frame.Hello(1, a[0], "sat_" + a[0] + "_not-the-token", "it"));
    assertThat(wrong.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(Api.items(admin().queryParam("action", "tunnel.auth").get("/api/v1/audit")))
        .isNotEmpty();

    Client early = Client.connect();
    early.send(new Frame.Data(1, new byte[] {1, 2, 3}));
    assertThat(early.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);

    Client big = Client.connect();
    big.ws
        .sendBinary(ByteBuffer.allocate(FrameCodec.DEFAULT_MAX_PAYLOAD + 1000), true)
        .get(10, TimeUnit.SECONDS);
    assertThat(big.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
  }

  /** The next frame that is not the server's own heartbeat PING. */
  static Frame nextNonPing(Client c) throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      Frame f = c.frames.poll(10, TimeUnit.SECONDS);
      if (!(f instanceof Frame.Ping)) {
        return f;
      }
    }
    throw new AssertionError("only PINGs");
  }

  @Test
  void silentAgentsAreDroppedAndAgentsAnsweringPingsStay() throws Exception {
    // liberty/server.env sets the server's ping interval to 2 s: silent for 3 intervals = dropped
    String[] quiet = agent();
    String[] lively = agent();
    Client q = Client.connect();
    q.send(new Frame.Hello(1, quiet[0], quiet[1], "it-quiet"));
    Client l = Client.connect();
    l.send(new Frame.Hello(1, lively[0], lively[1], "it-lively"));
    assertThat(q.frames.poll(10, TimeUnit.SECONDS)).isInstanceOf(Frame.HelloOk.class);
    assertThat(l.frames.poll(10, TimeUnit.SECONDS)).isInstanceOf(Frame.HelloOk.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
    int pings = 0;
    while (System.nanoTime() < deadline && !q.closed.isDone()) {
      Frame f = l.frames.poll(200, TimeUnit.MILLISECONDS);
      if (f instanceof Frame.Ping p) {
        pings++;
        l.send(new Frame.Pong(p.opaque()));
      }
    }
    assertThat(q.closed.get(1, TimeUnit.SECONDS)).isEqualTo(1001); // heartbeat timeout
    assertThat(pings).isGreaterThanOrEqualTo(2);
    assertThat(l.closed).isNotDone();
    assertThat(admin().get("/api/v1/agents/" + lively[0]).<Boolean>path("connected")).isTrue();
    assertThat(admin().get("/api/v1/agents/" + lively[0]).<String>path("lastHeartbeat"))
        .isNotBlank();
    l.ws.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionWithoutHelloIsClosedAfterTheDeadline() throws Exception {
    Client idle = Client.connect();
    long start = System.nanoTime();
    assertThat(idle.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isBetween(8L, 15L);
  }
}
