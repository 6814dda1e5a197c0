package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/pools}: exit pools with their selection strategy. */
@Path("/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PoolsApi {

  @GET
  Items<Pool> list();

  @POST
  Pool create(NewPool pool);

  @GET
  @Path("/{id}")
  Pool get(@PathParam("id") long id);

  /** Merge patch; {@code exits} replaces the members. */
  @PATCH
  @Path("/{id}")
  @Consumes("application/merge-patch+json")
  Pool update(@PathParam("id") long id, Map<String, Object> patch);

  /** 409 {@code pool-in-use} while users or dedicated ports use it, unless {@code force}. */
  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id, @QueryParam("force") Boolean force);

  record Pool(
      Long id,
      String name,
      String strategy,
      String fallbackPool,
      Integer stickyTtlMinutes,
      List<Long> exits,
      String createdAt,
      String updatedAt) {}

  /**
   * {@code strategy}: sticky, round-robin, random, least-connections, least-latency or
   * hash-destination.
   */
  record NewPool(
      String name,
      String strategy,
      String fallbackPool,
      Integer stickyTtlMinutes,
      List<Long> exits) {}
}
