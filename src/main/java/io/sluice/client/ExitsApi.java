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

/** {@code /api/v1/exits}: exits, their health checks and this node's periodic monitor. */
@Path("/v1/exits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ExitsApi {

  @GET
  Page<Exit> list(
      @QueryParam("pool") String pool,
      @QueryParam("state") String state,
      @QueryParam("country") String country,
      @QueryParam("provider") Long provider,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size);

  @POST
  Exit create(NewExit exit);

  @GET
  @Path("/{id}")
  Exit get(@PathParam("id") long id);

  @PATCH
  @Path("/{id}")
  @Consumes("application/merge-patch+json")
  Exit update(@PathParam("id") long id, Map<String, Object> patch);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  /** Checks one exit now, through the exit; the answer is the check's result. */
  @POST
  @Path("/{id}/check")
  Map<String, Object> check(@PathParam("id") long id);

  /** Checks many exits as a job; with {@code wait=true} the summary once all are done. */
  @POST
  @Path("/check")
  Map<String, Object> checkAll(
      @QueryParam("pool") String pool,
      @QueryParam("state") String state,
      @QueryParam("country") String country,
      @QueryParam("wait") Boolean wait);

  @GET
  @Path("/checks")
  Items<Map<String, Object>> checkJobs();

  @GET
  @Path("/checks/{job}")
  Map<String, Object> checkJob(@PathParam("job") long job, @QueryParam("results") Boolean results);

  @GET
  @Path("/{id}/checks")
  Items<Map<String, Object>> checks(@PathParam("id") long id);

  @GET
  @Path("/monitor")
  Map<String, Object> monitor();

  /** {@code action}: {@code start} or {@code stop}. */
  @POST
  @Path("/monitor/{action}")
  Map<String, Object> monitor(@PathParam("action") String action);

  record Exit(
      Long id,
      String name,
      String kind,
      String host,
      Integer port,
      String username,
      String upstreamUsernameTemplate,
      Boolean hasPassword,
      String localAddress,
      String country,
      Boolean enabled,
      String state,
      List<String> pools,
      Long providerId,
      Boolean retired,
      String expectedIp,
      String actualIp,
      Integer latencyMs,
      Latency latency,
      Boolean slow,
      String lastCheckedAt,
      String lastVerifiedAt,
      String lastError,
      String checkUrl,
      String createdAt,
      String updatedAt) {}

  record Latency(Integer lastMs, Long ewmaMs, Integer p50Ms, Integer p95Ms) {}

  /** {@code kind}: {@code direct}, {@code socks5} or {@code http}; nulls are left out. */
  record NewExit(
      String name,
      String kind,
      String host,
      Integer port,
      String username,
      String password,
      String upstreamUsernameTemplate,
      String localAddress,
      String country,
      Boolean enabled,
      String expectedIp,
      String checkUrl) {}
}
