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

/** {@code /api/v1/providers}: one upstream host and a port range, one exit per port. */
@Path("/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ProvidersApi {

  @GET
  Items<Provider> list();

  @POST
  Provider create(NewProvider provider);

  @GET
  @Path("/{id}")
  Provider get(@PathParam("id") long id);

  @PATCH
  @Path("/{id}")
  @Consumes("application/merge-patch+json")
  Provider update(@PathParam("id") long id, Map<String, Object> patch);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  record Provider(
      Long id,
      String name,
      String kind,
      String host,
      Integer portFrom,
      Integer portTo,
      String username,
      String upstreamUsernameTemplate,
      Boolean hasPassword,
      String country,
      String checkUrl,
      Integer checksPerSecond,
      Long exits,
      Long retired,
      String createdAt,
      String updatedAt) {}

  /** {@code kind}: {@code socks5} or {@code http}; {@code pool} adds the exits to that pool. */
  record NewProvider(
      String name,
      String kind,
      String host,
      Integer portFrom,
      Integer portTo,
      String username,
      String upstreamUsernameTemplate,
      String password,
      String country,
      String checkUrl,
      Integer checksPerSecond,
      String pool) {}
}
