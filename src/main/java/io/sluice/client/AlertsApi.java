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

/** {@code /api/v1/alerts}: alerts, deliveries, rules and channels. */
@Path("/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AlertsApi {

  /** {@code firing} (pending and firing) and {@code history}. */
  @GET
  Map<String, List<Map<String, Object>>> list(@QueryParam("limit") Integer limit);

  @GET
  @Path("/deliveries")
  Items<Map<String, Object>> deliveries(
      @QueryParam("state") String state, @QueryParam("limit") Integer limit);

  @GET
  @Path("/rules")
  Items<Map<String, Object>> rules();

  @GET
  @Path("/channels")
  Items<Map<String, Object>> channels();

  @POST
  @Path("/channels")
  Map<String, Object> createChannel(Map<String, Object> channel);

  @GET
  @Path("/channels/{id}")
  Map<String, Object> channel(@PathParam("id") long id);

  @PATCH
  @Path("/channels/{id}")
  @Consumes("application/merge-patch+json")
  Map<String, Object> updateChannel(@PathParam("id") long id, Map<String, Object> patch);

  @DELETE
  @Path("/channels/{id}")
  void deleteChannel(@PathParam("id") long id);

  @POST
  @Path("/channels/{id}/test")
  Map<String, Object> testChannel(@PathParam("id") long id);
}
