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
import java.util.Map;

/** {@code /api/v1/vms}: VMs with their addresses, sessions and port forwards. */
@Path("/v1/vms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface VmsApi {

  @POST
  Vm create(NewVm vm);

  @GET
  Page<Vm> list(
      @QueryParam("user") Long user,
      @QueryParam("type") String type,
      @QueryParam("state") String state,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size);

  @GET
  @Path("/{id}")
  Vm get(@PathParam("id") long id);

  /** The VM with its proxy environment (carries the user's password). */
  @GET
  @Path("/{id}/config")
  Vm config(@PathParam("id") long id);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  @POST
  @Path("/{id}/stop")
  Vm stop(@PathParam("id") long id);

  @POST
  @Path("/{id}/start")
  Vm start(@PathParam("id") long id);

  @POST
  @Path("/{id}/sessions")
  Map<String, Object> startSession(@PathParam("id") long id);

  @GET
  @Path("/{id}/sessions")
  Items<Map<String, Object>> sessions(@PathParam("id") long id);

  @POST
  @Path("/{id}/sessions/{sid}/end")
  Map<String, Object> endSession(@PathParam("id") long id, @PathParam("sid") long sid);

  /** {@code {publicPort, vmPort, protocol?}}. */
  @POST
  @Path("/{id}/forwards")
  Map<String, Object> addForward(@PathParam("id") long id, Map<String, Object> forward);

  @GET
  @Path("/{id}/forwards")
  Items<Map<String, Object>> forwards(@PathParam("id") long id);

  @DELETE
  @Path("/{id}/forwards/{forwardId}")
  void deleteForward(@PathParam("id") long id, @PathParam("forwardId") long forwardId);

  record Vm(
      Long id,
      Long userId,
      String name,
      String type,
      String state,
      String ipv4,
      String ipv6,
      String gateway,
      Integer prefixLength,
      String ipv6Gateway,
      Integer ipv6PrefixLength,
      Long ipv4PoolId,
      Long ipv6PoolId,
      Integer dedicatedPort,
      String bootArgs,
      Map<String, String> proxyEnv,
      String createdAt,
      String updatedAt) {}

  /** {@code type}: {@code cli} or {@code browser}. */
  record NewVm(Long userId, String type, String name, String pool, Boolean ipv6) {}
}
