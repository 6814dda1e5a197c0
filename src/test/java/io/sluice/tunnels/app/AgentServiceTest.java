package io.sluice.tunnels.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AgentServiceTest {

  private final InMemoryAgentRepository repository = new InMemoryAgentRepository();
  private final AgentConnections connections = new AgentConnections();
  private final AgentService service = new AgentService();

  /** Reasons the fake WebSocket of a connected agent was closed with. */
  private final List<String> closed = new ArrayList<>();

  @BeforeEach
  void setUp() {
    service.repository = repository;
    service.connections = connections;
    service.keys =
        new ServerKeys() {
          @Override
          public byte[] derive(String purpose) {
            return ("test-key-for-" + purpose).getBytes(StandardCharsets.UTF_8);
          }
        };
  }

  @Test
  void registrationShowsTheTokenOnceAndStoresOnlyAKeyedHash() {
    AgentService.WithToken created = service.create("edge-1", List.of("10.0.0.0/8:22"));

    assertThat(created.agent().id()).isEqualTo(1);
    assertThat(created.agent().name()).isEqualTo("edge-1");
    assertThat(created.agent().allowedTargets()).containsExactly("10.0.0.0/8:22");
    assertThat(created.agent().enabled()).isTrue();
    assertThat(created.agent().connected()).isFalse();
    assertThat(created.token()).startsWith("sat_1_");
    assertThat(repository.tokenHash(1))
        .isNotEqualTo(created.token())
        .doesNotContain(created.token().substring(6));
    assertThat(service.authenticate(1, created.token())).isTrue();
    assertThat(service.authenticate(1, created.token() + "x")).isFalse();
    assertThat(service.authenticate(1, "not-a-token")).isFalse();
    assertThat(service.authenticate(1, null)).isFalse();
    assertThat(service.authenticate(2, created.token())).isFalse();
    assertThat(service.list()).extracting(AgentService.Agent::name).containsExactly("edge-1");
  }

  @Test
  void invalidNameAndTargetsAreFieldErrors() {
    ApiException e = apiError(() -> service.create("no spaces allowed", List.of("not-a-cidr")));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("name", "allowedTargets");
    assertThat(service.list()).isEmpty();
  }

  @Test
  void aSecondAgentWithTheSameNameIsAConflict() {
    service.create("edge-1", null);

    assertThat(apiError(() -> service.create("edge-1", null)).status()).isEqualTo(409);
    assertThat(service.list()).hasSize(1);
  }

  @Test
  void disablingRefusesTheTokenAndDropsTheConnectionAtOnce() {
    AgentService.WithToken a = service.create("edge-1", null);
    connect(1);

    AgentService.Agent disabled = service.setEnabled(1, false);

    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.connected()).isFalse();
    assertThat(closed).containsExactly("agent disabled");
    assertThat(service.authenticate(1, a.token())).isFalse();

    assertThat(service.setEnabled(1, true).enabled()).isTrue();
    assertThat(service.authenticate(1, a.token())).isTrue();
  }

  @Test
  void rotationReplacesTheTokenAndDropsTheConnection() {
    AgentService.WithToken first = service.create("edge-1", null);
    connect(1);

    AgentService.WithToken rotated = service.rotate(1);

    assertThat(rotated.token()).startsWith("sat_1_").isNotEqualTo(first.token());
    assertThat(service.authenticate(1, first.token())).isFalse();
    assertThat(service.authenticate(1, rotated.token())).isTrue();
    assertThat(closed).containsExactly("token rotated");
    assertThat(connections.isConnected(1)).isFalse();
  }

  @Test
  void deletionRemovesTheAgentAndDropsItsConnection() {
    AgentService.WithToken a = service.create("edge-1", null);
    connect(1);

    service.delete(1);

    assertThat(closed).containsExactly("agent deleted");
    assertThat(apiError(() -> service.get(1)).status()).isEqualTo(404);
    assertThat(service.authenticate(1, a.token())).isFalse();
    assertThat(apiError(() -> service.delete(1)).status()).isEqualTo(404);
  }

  @Test
  void unknownAgentsAreNotFound() {
    assertThat(apiError(() -> service.get(7)).status()).isEqualTo(404);
    assertThat(apiError(() -> service.setEnabled(7, false)).status()).isEqualTo(404);
    assertThat(apiError(() -> service.rotate(7)).status()).isEqualTo(404);
    assertThat(apiError(() -> service.disconnect(7)).status()).isEqualTo(404);
  }

  @Test
  void aConnectedAgentShowsItsConnectionAndCanBeDisconnectedOnce() {
    service.create("edge-1", null);
    assertThat(apiError(() -> service.disconnect(1)).status()).isEqualTo(409);
    connect(1);

    AgentService.Agent shown = service.get(1);
    assertThat(shown.connected()).isTrue();
    assertThat(shown.remoteAddress()).isEqualTo("203.0.113.5");
    assertThat(shown.version()).isEqualTo("1.2.3");
    assertThat(shown.activeStreams()).isZero();

    service.disconnect(1);

    assertThat(closed).containsExactly("disconnected by an administrator");
    assertThat(service.get(1).connected()).isFalse();
    assertThat(apiError(() -> service.disconnect(1)).status()).isEqualTo(409);
  }

  private void connect(long agentId) {
    TestLinks.connect(connections, agentId, closed::add);
  }

  static ApiException apiError(Executable call) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(() -> call.execute())
        .isInstanceOf(ApiException.class)
        .satisfies(t -> caught[0] = t);
    return (ApiException) caught[0];
  }
}
