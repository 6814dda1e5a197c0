package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/address-pools}: VM address pools. */
@Path("/v1/address-pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AddressPoolsApi {

  @POST
  Map<String, Object> create(Map<String, Object> pool);

  @GET
  Items<Map<String, Object>> list();

  @GET
  @Path("/{id}")
  Map<String, Object> get(@PathParam("id") long id);

  @PATCH
  @Path("/{id}")
  @Consumes("application/merge-patch+json")
  Map<String, Object> update(@PathParam("id") long id, Map<String, Object> patch);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);
}
