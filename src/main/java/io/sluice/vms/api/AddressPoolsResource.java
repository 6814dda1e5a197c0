package io.sluice.vms.api;

import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.vms.app.AddressPoolService;
import io.sluice.vms.app.PoolView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** VM address pools: create, list, grow or shrink, delete. */
@Path("/v1/address-pools")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "address-pools")
public class AddressPoolsResource {

  @Inject AddressPoolService pools;

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Create a pool: family 4 or 6, prefixes (IPv4 /8 to /30, IPv6 /64 or shorter), gateway, "
              + "reserved addresses, tier, reuse hold.")
  public Response create(JsonValue body) {
    JsonInput in =
        new JsonInput(
            body,
            Set.of(
                "name", "family", "prefixes", "gateway", "reserved", "tier", "reuseHoldSeconds"));
    AddressPoolService.Spec spec =
        new AddressPoolService.Spec(
            in.string("name", true),
            in.integer("family", 4, 6),
            in.strings("prefixes"),
            in.string("gateway", false),
            in.strings("reserved"),
            in.string("tier", false),
            in.integer("reuseHoldSeconds", Long.MIN_VALUE, Long.MAX_VALUE));
    in.done();
    return Response.status(201).entity(pools.create(spec)).build();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List the pools with their prefixes and usage.")
  public Map<String, List<PoolView>> list() {
    return Map.of("items", pools.list());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One pool.")
  public PoolView get(@PathParam("id") long id) {
    return pools.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Grow (addPrefixes; a supernet replaces the prefixes it covers), shrink (removePrefixes, "
              + "refused while a prefix has allocations), or change tier and reuse hold.")
  public PoolView patch(@PathParam("id") long id, JsonValue body) {
    JsonInput in =
        new JsonInput(body, Set.of("addPrefixes", "removePrefixes", "tier", "reuseHoldSeconds"));
    AddressPoolService.Patch patch =
        new AddressPoolService.Patch(
            in.strings("addPrefixes"),
            in.strings("removePrefixes"),
            in.string("tier", false),
            in.integer("reuseHoldSeconds", Long.MIN_VALUE, Long.MAX_VALUE));
    in.done();
    return pools.patch(id, patch);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a pool (refused while it has allocated addresses).")
  public Response delete(@PathParam("id") long id) {
    pools.delete(id);
    return Response.noContent().build();
  }
}
