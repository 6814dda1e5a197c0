package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The remaining admin endpoints under {@code /api/v1}: audit log, cluster nodes, settings and the
 * IP echo. One interface so that every path of the server has a client method.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface OperationsApi {

  @GET
  @Path("/audit")
  Page<Map<String, Object>> audit(
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("target") String target,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size);

  @GET
  @Path("/nodes")
  Items<Map<String, Object>> nodes();

  /** The caller's address as the server sees it: {@code {"ip": "..."}}. */
  @GET
  @Path("/ip")
  Map<String, String> ip();

  @GET
  @Path("/settings/panel-whitelist")
  Map<String, Object> panelWhitelist();

  /** {@code {cidrs, force?}}; 409 {@code self-lockout} without the caller's address. */
  @PUT
  @Path("/settings/panel-whitelist")
  Map<String, Object> setPanelWhitelist(Map<String, Object> whitelist);

  @GET
  @Path("/settings/proxy-client-whitelist")
  Map<String, Object> proxyClientWhitelist();

  @PUT
  @Path("/settings/proxy-client-whitelist")
  Map<String, Object> setProxyClientWhitelist(Map<String, Object> whitelist);

  @GET
  @Path("/settings/require-https")
  Map<String, Object> requireHttps();

  @PUT
  @Path("/settings/require-https")
  Map<String, Object> setRequireHttps(Map<String, Object> setting);
}
