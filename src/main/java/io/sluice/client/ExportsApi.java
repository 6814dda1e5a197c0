package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/exports}: export links (the URL is shown once). */
@Path("/v1/exports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ExportsApi {

  @POST
  Export create(NewExport export);

  @GET
  Items<Export> list();

  @DELETE
  @Path("/{id}")
  void revoke(@PathParam("id") String id);

  record Export(
      String id,
      String scope,
      String pool,
      String format,
      String bindCidr,
      String expiresAt,
      String revokedAt,
      String createdBy,
      String createdAt,
      Long downloads,
      String url) {}

  /**
   * {@code scope}: users, pools (with {@code pool}) or dedicated; {@code format}: txt, csv or json.
   */
  record NewExport(String scope, String pool, String format, Integer ttlMinutes, String bindCidr) {}
}
