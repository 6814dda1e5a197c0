package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/stats}: users, VMs, sessions, address pools, external addresses. */
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface StatsApi {

  /** The stats document as the server sends it (its shape is described in docs/vms.md). */
  @GET
  Map<String, Object> get();
}
