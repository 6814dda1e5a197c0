package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.response.Response;
import io.sluice.client.AgentsApi;
import io.sluice.client.SluiceApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Agent registration: token shown once, never listed, rotated on demand; validation. Driven through
 * the typed client (io.sluice.client), with the raw JSON checked where the token must be absent.
 */
class AgentsIT {

  final AgentsApi agents = Api.client().agents();

  @Test
  void registerRotateDisableDelete() {
    String name = Api.unique("office");
    AgentsApi.WithToken created =
        agents.create(new AgentsApi.NewAgent(name, List.of("127.0.0.1/32:3389")));
    String token = created.token();
    long id = created.agent().id();
    assertThat(token).startsWith("sat_" + id + "_").hasSizeGreaterThan(40);
    assertThat(created.agent().connected()).isFalse();

    assertThat(admin().get("/api/v1/agents/" + id).asString()).doesNotContain(token);
    assertThat(admin().get("/api/v1/agents").asString()).doesNotContain(token);
    assertThat(agents.get(id).allowedTargets()).containsExactly("127.0.0.1/32:3389");
    assertThat(agents.list().items()).extracting(AgentsApi.Agent::name).contains(name);

    String rotated = agents.rotateToken(id).token();
    assertThat(rotated).isNotEqualTo(token).startsWith("sat_" + id + "_");
    assertThat(agents.disable(id).enabled()).isFalse();
    agents.delete(id);
    assertProblem(admin().get("/api/v1/agents/" + id), 404, "not-found");
    assertThatThrownBy(() -> agents.get(id))
        .isInstanceOfSatisfying(
            SluiceApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.problem().name()).isEqualTo("not-found");
            });
  }

  @Test
  void badInput() {
    Response r =
        admin()
            .body(Map.of("name", "has space", "allowedTargets", List.of("10.0.0.0/8:99999")))
            .post("/api/v1/agents");
    assertProblem(r, 400, "validation");
    assertThat(r.<List<String>>path("errors.field")).contains("name", "allowedTargets");
    assertThatThrownBy(() -> agents.create(new AgentsApi.NewAgent("has space", null)))
        .isInstanceOfSatisfying(
            SluiceApiException.class,
            e -> {
              assertThat(e.problem().name()).isEqualTo("validation");
              assertThat(e.problem().errors())
                  .extracting(io.sluice.client.Problem.FieldError::field)
                  .contains("name");
            });
    String name = Api.unique("dup");
    agents.create(new AgentsApi.NewAgent(name, null));
    assertThatThrownBy(() -> agents.create(new AgentsApi.NewAgent(name, null)))
        .isInstanceOfSatisfying(
            SluiceApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.problem().name()).isEqualTo("conflict");
            });
  }
}
