package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/tunnels}: public ports relayed through an agent to a target. */
@Path("/v1/tunnels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface TunnelsApi {

  @POST
  Tunnel create(NewTunnel tunnel);

  @GET
  Items<Tunnel> list(@QueryParam("agentId") Long agentId);

  @GET
  @Path("/{id}")
  Tunnel get(@PathParam("id") long id);

  @GET
  @Path("/{id}/stats")
  Stats stats(@PathParam("id") long id);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  record Tunnel(
      Long id,
      Long agentId,
      String targetHost,
      Integer targetPort,
      Integer publicPort,
      List<String> allowedSources,
      Long bandwidthBps,
      Integer maxConnections,
      String createdAt,
      ServedBy servedBy) {}

  /** The node a mapping's agent is connected to: the only node that binds its public port. */
  record ServedBy(String id, String name, String advertiseUrl) {}

  /** {@code publicPort} null: allocated from {@code sluice.tunnel.ports}. */
  record NewTunnel(
      Long agentId,
      String targetHost,
      Integer targetPort,
      Integer publicPort,
      List<String> allowedSources,
      Long bandwidthBps,
      Integer maxConnections) {}

  record Stats(
      Long mappingId,
      Integer publicPort,
      Long agentId,
      Boolean agentConnected,
      Integer activeConnections,
      Long totalConnections,
      Long bytesIn,
      Long bytesOut,
      Long errors,
      String lastActivity,
      Map<String, Long> errorsByReason) {}
}
