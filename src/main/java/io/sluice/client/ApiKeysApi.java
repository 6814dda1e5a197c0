package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/api-keys}: keys for automation clients (the token is shown once). */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ApiKeysApi {

  @POST
  Created create(NewApiKey key);

  @GET
  Items<Map<String, Object>> list();

  @DELETE
  @Path("/{id}")
  void revoke(@PathParam("id") long id);

  /** {@code role}: {@code orchestrator}; {@code expiresAt} optional (ISO-8601). */
  record NewApiKey(String name, String role, String expiresAt) {}

  /** The key's description and its bearer token (only in this answer). */
  record Created(Map<String, Object> key, String token) {}
}
