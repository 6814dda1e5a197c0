package io.sluice.tunnels.app;

import static io.sluice.tunnels.app.AgentServiceTest.apiError;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.testsupport.RecordingEvent;
import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelMappingsChanged;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunnelMappingServiceTest {

  private final InMemoryTunnelMappingRepository repository = new InMemoryTunnelMappingRepository();
  private final AgentConnections connections = new AgentConnections();
  private final AgentService agents = new AgentService();
  private final TunnelRouting routing = new TunnelRouting();
  private final RecordingEvent<TunnelMappingsChanged> changed = new RecordingEvent<>();
  private final TunnelMappingService service = new TunnelMappingService();
  private long agentId;

  @BeforeEach
  void setUp() {
    agents.repository = new InMemoryAgentRepository();
    agents.connections = connections;
    agents.keys =
        new ServerKeys() {
          @Override
          public byte[] derive(String purpose) {
            return new byte[32];
          }
        };
    routing.connections = connections;
    TunnelMappingTransactions transactions = new TunnelMappingTransactions();
    transactions.repository = repository;
    service.repository = repository;
    service.transactions = transactions;
    service.connections = connections;
    service.agents = agents;
    service.routing = routing;
    service.changed = changed;
    service.range = "20000-20004";
    agentId = agents.create("edge-1", null).agent().id();
  }

  @Test
  void allocatesTheLowestFreePortOfTheRangeAndAnnouncesEachMapping() {
    TunnelMapping first = service.create(spec(agentId, "127.0.0.1", null));
    TunnelMapping second = service.create(spec(agentId, "db.internal", null));

    assertThat(first.publicPort()).isEqualTo(20000);
    assertThat(second.publicPort()).isEqualTo(20001);
    assertThat(second.targetHost()).isEqualTo("db.internal");
    assertThat(second.targetPort()).isEqualTo(5432);
    assertThat(second.allowedSources()).isEmpty();
    assertThat(second.bandwidthBps()).isZero();
    assertThat(changed.fired)
        .containsExactly(
            new TunnelMappingsChanged(first.id(), true),
            new TunnelMappingsChanged(second.id(), true));
    assertThat(service.list(null)).containsExactly(first, second);
    assertThat(service.list(agentId + 1)).isEmpty();
  }

  @Test
  void aGivenPortIsUsedAndCannotBeMappedTwice() {
    TunnelMapping m = service.create(spec(agentId, "127.0.0.1", 20003L));
    assertThat(m.publicPort()).isEqualTo(20003);

    ApiException taken = apiError(() -> service.create(spec(agentId, "127.0.0.1", 20003L)));

    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.getMessage()).contains("20003");
    assertThat(changed.fired).hasSize(1);
    assertThat(service.create(spec(agentId, "127.0.0.1", null)).publicPort()).isEqualTo(20000);
  }

  @Test
  void aPortTakenByAnotherNodeMeanwhileIsSkipped() {
    repository.takenElsewhere.add(20000);

    assertThat(service.create(spec(agentId, "127.0.0.1", null)).publicPort()).isEqualTo(20001);
  }

  @Test
  void aFullRangeIsAConflict() {
    service.range = "20000-20001";
    service.create(spec(agentId, "127.0.0.1", null));
    service.create(spec(agentId, "127.0.0.1", null));

    ApiException full = apiError(() -> service.create(spec(agentId, "127.0.0.1", null)));

    assertThat(full.status()).isEqualTo(409);
    assertThat(full.type()).isEqualTo("ports-exhausted");
  }

  @Test
  void invalidFieldsAreReportedTogether() {
    ApiException e =
        apiError(() ->
            service.create(
                new TunnelMappingService.Spec(
                    null, "bad host!", 0L, 30000L, List.of("not-a-cidr"), -1L, -1L)));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly(
            "agentId",
            "targetHost",
            "targetPort",
            "publicPort",
            "allowedSources",
            "bandwidthBps",
            "maxConnections");
    assertThat(repository.publicPorts()).isEmpty();
  }

  @Test
  void anUnknownAgentIsNotFound() {
    assertThat(apiError(() -> service.create(spec(agentId + 1, "127.0.0.1", null))).status())
        .isEqualTo(404);
    assertThat(changed.fired).isEmpty();
  }

  @Test
  void anAgentWithAllowedTargetsOnlyTakesAddressesTheyCover() {
    long limited = agents.create("edge-2", List.of("10.0.0.0/8:22")).agent().id();

    assertThat(
            service
                .create(
                    new TunnelMappingService.Spec(limited, "10.1.2.3", 22L, null, null, null, null))
                .targetHost())
        .isEqualTo("10.1.2.3");
    ApiException name =
        apiError(() ->
            service.create(
                new TunnelMappingService.Spec(
                    limited, "db.internal", 22L, null, null, null, null)));
    ApiException port =
        apiError(() ->
            service.create(
                new TunnelMappingService.Spec(limited, "10.1.2.3", 80L, null, null, null, null)));

    assertThat(name.status()).isEqualTo(400);
    assertThat(name.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactly("targetHost");
    assertThat(port.status()).isEqualTo(400);
  }

  @Test
  void closingReleasesThePortAndAnnouncesIt() {
    TunnelMapping m = service.create(spec(agentId, "127.0.0.1", null));

    service.close(m.id());

    assertThat(changed.fired).last().isEqualTo(new TunnelMappingsChanged(m.id(), false));
    assertThat(apiError(() -> service.get(m.id())).status()).isEqualTo(404);
    assertThat(apiError(() -> service.close(m.id())).status()).isEqualTo(404);
    assertThat(service.create(spec(agentId, "127.0.0.1", null)).publicPort())
        .isEqualTo(m.publicPort());
  }

  @Test
  void statisticsAddUnflushedCountsAndAFailedFlushKeepsThem() {
    TunnelMapping m = service.create(spec(agentId, "127.0.0.1", null));
    routing.update(service.list(null));
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    routing.restore(Map.of(m.id(), new TunnelStatsDelta(2, 100, 200, 1, at)));

    TunnelMappingService.Stats before = service.stats(m.id());
    assertThat(before.totalConnections()).isEqualTo(2);
    assertThat(before.bytesIn()).isEqualTo(100);
    assertThat(before.agentConnected()).isFalse();

    repository.failStatsWrites = true;
    org.assertj.core.api.Assertions.assertThatThrownBy(service::flushStats)
        .isInstanceOf(IllegalStateException.class);
    assertThat(service.stats(m.id()).bytesOut()).isEqualTo(200);
    assertThat(repository.stats(m.id()).orElseThrow().bytesOut()).isZero();

    repository.failStatsWrites = false;
    service.flushStats();
    TunnelMappingService.Stats after = service.stats(m.id());
    assertThat(repository.stats(m.id()).orElseThrow().bytesOut()).isEqualTo(200);
    assertThat(after.bytesOut()).isEqualTo(200);
    assertThat(after.errors()).isEqualTo(1);
    assertThat(apiError(() -> service.stats(m.id() + 1)).status()).isEqualTo(404);
  }

  private static TunnelMappingService.Spec spec(long agentId, String host, Long publicPort) {
    return new TunnelMappingService.Spec(agentId, host, 5432L, publicPort, null, null, null);
  }
}
