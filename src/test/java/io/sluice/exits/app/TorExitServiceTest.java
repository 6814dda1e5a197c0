package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.testsupport.RecordingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tor exits belong to the server that runs their tor; other servers leave them out. */
class TorExitServiceTest {

  private InMemoryExitRepository repo;
  private RecordingEvent<ExitsChanged> changed;
  private TorExitService service;

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitRepository();
    changed = new RecordingEvent<>();
    service = new TorExitService();
    service.repo = repo;
    service.changed = changed;
  }

  @Test
  void onlyTheRunningServerCanUseATorExit() {
    ExitNodeEntity other = new ExitNodeEntity();
    other.name = "tor-b-0";
    other.kind = "tor";
    other.torServer = "b";
    ExitNodeEntity plain = new ExitNodeEntity();
    plain.name = "upstream";
    plain.kind = "socks5";
    // before this server's fleet synced anything, it runs no tor: no tor exit is usable here
    assertThat(service.usableHere(other)).isFalse();
    assertThat(service.usableHere(plain)).isTrue();

    long id = service.sync("a", "tor-a-0", 30001, "de", true);
    ExitNodeEntity own = repo.exit(id).orElseThrow();
    assertThat(own.torServer).isEqualTo("a");
    assertThat(own.host).isEqualTo("127.0.0.1");
    assertThat(own.enabled).isTrue();
    assertThat(service.usableHere(own)).isTrue();
    assertThat(service.usableHere(other)).isFalse();
    assertThat(service.usableHere(plain)).isTrue();
    assertThat(changed.fired).hasSize(1);

    // the same state again changes nothing
    service.sync("a", "tor-a-0", 30001, "de", true);
    assertThat(changed.fired).hasSize(1);
  }

  @Test
  void learningTheServerNameReloadsTheSelectionEvenForAnUnchangedExit() {
    service.sync("a", "tor-a-0", 30001, null, true);
    TorExitService restarted = new TorExitService();
    restarted.repo = repo;
    restarted.changed = changed;
    restarted.sync("a", "tor-a-0", 30001, null, true);
    assertThat(changed.fired).hasSize(2);
  }
}
