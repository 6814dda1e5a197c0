package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/agents}: tunnel agents (the token is shown at creation and rotation only). */
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AgentsApi {

  @POST
  WithToken create(NewAgent agent);

  @GET
  Items<Agent> list();

  @GET
  @Path("/{id}")
  Agent get(@PathParam("id") long id);

  @POST
  @Path("/{id}/disable")
  Agent disable(@PathParam("id") long id);

  @POST
  @Path("/{id}/enable")
  Agent enable(@PathParam("id") long id);

  /** Drops the agent's connection to this node; 409 when it has none. */
  @POST
  @Path("/{id}/disconnect")
  void disconnect(@PathParam("id") long id);

  @POST
  @Path("/{id}/token")
  WithToken rotateToken(@PathParam("id") long id);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  record Agent(
      Long id,
      String name,
      List<String> allowedTargets,
      Boolean enabled,
      Boolean connected,
      String connectedSince,
      String remoteAddress,
      String version,
      String lastHeartbeat,
      Integer activeStreams,
      String createdAt,
      String updatedAt,
      String connectedNode) {}

  /** {@code allowedTargets}: {@code host:port} patterns the server may ask the agent to reach. */
  record NewAgent(String name, List<String> allowedTargets) {}

  record WithToken(Agent agent, String token) {}
}
