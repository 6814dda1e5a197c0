package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/firewall}: the host firewall rules of this node. */
@Path("/v1/firewall")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface FirewallApi {

  /** {@code backend}: {@code nftables} or {@code iptables}; the rules as text. */
  @GET
  @Path("/ruleset")
  @Produces(MediaType.TEXT_PLAIN)
  String ruleset(@QueryParam("backend") String backend);

  @GET
  @Path("/status")
  Map<String, Object> status();

  @POST
  @Path("/check")
  Map<String, Object> check();

  @POST
  @Path("/apply")
  Map<String, Object> apply();

  @POST
  @Path("/flush")
  Map<String, Object> flush();

  /** {@code {persist?}}. */
  @POST
  @Path("/init")
  Map<String, Object> init(Map<String, Object> options);
}
