package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/tor}: the Tor fleet. */
@Path("/v1/tor")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface TorApi {

  @GET
  @Path("/nodes")
  List<Map<String, Object>> nodes();

  /** {@code {"size": n}}: nodes per server. */
  @POST
  @Path("/nodes/scale")
  Map<String, Object> scale(Map<String, Object> size);

  @POST
  @Path("/nodes/{id}/rotate")
  Map<String, Object> rotate(@PathParam("id") long id);

  @POST
  @Path("/rotate")
  Map<String, Object> rotateAll();

  @GET
  @Path("/settings")
  Map<String, Object> settings();

  @PUT
  @Path("/settings")
  Map<String, Object> updateSettings(Map<String, Object> settings);
}
