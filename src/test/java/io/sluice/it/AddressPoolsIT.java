package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.anon;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/address-pools}: create a /24, grow it by a second /24 and then to the /16 that
 * covers both, shrink, delete; validation (400), conflicts (409: name, overlap with another pool,
 * an already covered prefix), IPv6 pools. Each test uses a random /16 of 100.64.0.0/10 and deletes
 * its pools, so reruns on one database do not collide.
 */
class AddressPoolsIT {

  private static final String POOLS = "/api/v1/address-pools";

  private static final java.util.concurrent.atomic.AtomicInteger NEXT =
      new java.util.concurrent.atomic.AtomicInteger(ThreadLocalRandom.current().nextInt(64));

  /** "100.X" for a /16 of 100.64.0.0/10 that no other test of this run uses. */
  private static String net16() {
    return "100." + (64 + NEXT.getAndIncrement() % 64);
  }

  private static Response create(Map<String, Object> body) {
    return admin().body(body).post(POOLS);
  }

  private static int created(Map<String, Object> body) {
    Response r = create(body);
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("id");
  }

  private static Response patch(int id, Map<String, Object> body) {
    return admin().body(body).patch(POOLS + "/" + id);
  }

  private static void delete(int id) {
    admin().delete(POOLS + "/" + id);
  }

  @Test
  void createGrowToASlash16ShrinkAndDelete() {
    String net = net16();
    String name = Api.unique("vmnet");
    Response r =
        create(
            Map.of(
                "name",
                name,
                "family",
                4,
                "prefixes",
                List.of(net + ".0.0/24"),
                "tier",
                "cli",
                "reuseHoldSeconds",
                600));
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    int id = r.path("id");
    try {
      assertThat((String) r.path("prefixes[0].gateway")).isEqualTo(net + ".0.1");
      assertThat((Integer) r.path("usage.total")).isEqualTo(253);
      assertThat((Integer) r.path("usage.available")).isEqualTo(253);
      assertThat((Integer) r.path("usage.maxWith16")).isEqualTo(65_533);
      assertThat((Integer) r.path("usage.maxWith8")).isEqualTo(16_777_213);
      assertThat((String) r.path("tier")).isEqualTo("cli");

      Response two = patch(id, Map.of("addPrefixes", List.of(net + ".1.0/24")));
      assertThat(two.statusCode()).as(two.asString()).isEqualTo(200);
      assertThat((Integer) two.path("usage.total")).isEqualTo(506);
      assertThat((List<String>) two.path("usage.prefixes"))
          .containsExactly(net + ".0.0/24", net + ".1.0/24");

      Response big = patch(id, Map.of("addPrefixes", List.of(net + ".0.0/16")));
      assertThat(big.statusCode()).as(big.asString()).isEqualTo(200);
      assertThat((List<String>) big.path("usage.prefixes")).containsExactly(net + ".0.0/16");
      assertThat((Integer) big.path("usage.total")).isEqualTo(65_532);
      assertThat((List<String>) big.path("reserved")).containsExactly(net + ".1.1");
      assertThat((String) big.path("prefixes[0].gateway")).isEqualTo(net + ".0.1");

      assertProblem(patch(id, Map.of("addPrefixes", List.of(net + ".5.0/24"))), 409, "conflict");

      Response listed = admin().get(POOLS);
      assertThat(listed.statusCode()).isEqualTo(200);
      assertThat(Api.items(listed)).anySatisfy(p -> assertThat(p.get("name")).isEqualTo(name));
      assertThat((String) admin().get(POOLS + "/" + id).path("name")).isEqualTo(name);

      Response edited = patch(id, Map.of("tier", "browser", "reuseHoldSeconds", 0));
      assertThat((String) edited.path("tier")).isEqualTo("browser");
      assertThat((Integer) edited.path("reuseHoldSeconds")).isZero();

      Response shrunk = patch(id, Map.of("removePrefixes", List.of(net + ".0.0/16")));
      assertThat(shrunk.statusCode()).as(shrunk.asString()).isEqualTo(200);
      assertThat((Integer) shrunk.path("usage.total")).isZero();
      assertProblem(
          patch(id, Map.of("removePrefixes", List.of(net + ".0.0/16"))), 400, "validation");

      assertThat(admin().delete(POOLS + "/" + id).statusCode()).isEqualTo(204);
      assertProblem(admin().get(POOLS + "/" + id), 404, "not-found");
    } finally {
      delete(id);
    }
  }

  @Test
  void overlappingPrefixesAndTakenNamesAreConflicts() {
    String net = net16();
    String name = Api.unique("first");
    int a = created(Map.of("name", name, "family", 4, "prefixes", List.of(net + ".0.0/16")));
    int b = -1;
    try {
      assertProblem(
          create(
              Map.of(
                  "name", Api.unique("second"), "family", 4, "prefixes", List.of(net + ".9.0/24"))),
          409,
          "conflict");
      assertProblem(
          create(Map.of("name", name, "family", 4, "prefixes", List.of("100.63.250.0/24"))),
          409,
          "conflict");
      b =
          created(
              Map.of(
                  "name",
                  Api.unique("third"),
                  "family",
                  4,
                  "prefixes",
                  List.of("100.63.251.0/30")));
      assertProblem(patch(b, Map.of("addPrefixes", List.of(net + ".0.0/24"))), 409, "conflict");
    } finally {
      delete(a);
      if (b > 0) {
        delete(b);
      }
    }
  }

  @Test
  void invalidPoolsAre400s() {
    String net = net16();
    Response r =
        create(
            Map.of(
                "name",
                "bad name",
                "family",
                4,
                "prefixes",
                List.of(net + ".0.0/31", net + ".0.5/24", "2a01::/64"),
                "reserved",
                List.of("not-an-address"),
                "reuseHoldSeconds",
                -1));
    assertProblem(r, 400, "validation");
    assertThat((List<String>) r.path("errors.field"))
        .contains("name", "prefixes", "reserved", "reuseHoldSeconds");
    assertProblem(create(Map.of("name", Api.unique("v"), "family", 4)), 400, "validation");
    assertProblem(
        create(Map.of("name", Api.unique("v"), "family", 6, "prefixes", List.of("2a01:db8::/80"))),
        400,
        "validation");
    assertProblem(
        create(
            Map.of(
                "name",
                Api.unique("v"),
                "family",
                4,
                "prefixes",
                List.of(net + ".0.0/24"),
                "gateway",
                net + ".7.1")),
        400,
        "validation");
    assertProblem(
        create(
            Map.of(
                "name",
                Api.unique("v"),
                "family",
                4,
                "prefixes",
                List.of(net + ".0.0/24"),
                "size",
                3)),
        400,
        "validation");
    assertProblem(admin().get(POOLS + "/987654321"), 404, "not-found");
    assertThat(anon().get(POOLS).statusCode()).isEqualTo(401);
  }

  @Test
  void ipv6PoolsTakeA64OrShorter() {
    String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    String prefix = "2001:db8:" + hex + ":1250::/64";
    Response r = create(Map.of("name", Api.unique("v6"), "family", 6, "prefixes", List.of(prefix)));
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    int id = r.path("id");
    try {
      assertThat((String) r.path("prefixes[0].gateway")).isEqualTo("2001:db8:" + hex + ":1250::1");
      assertThat(((Number) r.path("usage.total")).longValue()).isEqualTo(Long.MAX_VALUE);
      assertThat((Integer) r.path("usage.maxWith16")).isZero();
      assertThat((Integer) r.path("family")).isEqualTo(6);
    } finally {
      delete(id);
    }
  }
}
