package io.sluice.tor.api;

import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.tor.app.TorFleetService;
import io.sluice.tor.app.TorNodeView;
import io.sluice.tor.app.TorSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Tor fleet: nodes of every server, scaling, rotation and settings. */
@Path("/v1/tor")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tor")
public class TorResource {

  private static final Set<String> SETTINGS =
      Set.of(
          "size",
          "rotationIntervalSeconds",
          "countries",
          "nodeCountries",
          "extraLines",
          "noRepeatWindow");

  @Inject TorFleetService fleet;

  @GET
  @Path("nodes")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Tor nodes of every server: state (starting, bootstrapping, ready, rotating, failed,"
              + " stopped), bootstrap percent, pid, ports, countries, current exit, rotation, restarts.")
  public List<TorNodeView> nodes() {
    return fleet.nodes();
  }

  @POST
  @Path("nodes/scale")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Set how many tor nodes each server runs ({size}); scaling down disables the extra"
              + " nodes' exits and stops them after the drain period.")
  public TorSettings scale(JsonValue body) {
    JsonInput in = new JsonInput(body, Set.of("size"));
    Long size = in.integer("size", 0, 1000);
    if (size == null) {
      in.error("size", "is required: 0-1000");
    }
    in.done();
    return fleet.scale(size.intValue());
  }

  @POST
  @Path("nodes/{id}/rotate")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "NEWNYM for one node (of this server); its rotation shows requested, deferred, done.")
  public TorNodeView rotate(@PathParam("id") long id) {
    return fleet.rotate(id);
  }

  @POST
  @Path("rotate")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "NEWNYM for every node of this server, staggered.")
  public Map<String, Integer> rotateAll() {
    return Map.of("nodes", fleet.rotateAll());
  }

  @GET
  @Path("settings")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The fleet settings.")
  public TorSettings settings() {
    return fleet.settings();
  }

  @PUT
  @Path("settings")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Change the fleet settings (fields left out keep their value): size,"
              + " rotationIntervalSeconds (0 off, else >= 10), countries, nodeCountries"
              + " {\"0\": [\"de\"]}, extraLines (allow-listed torrc keys), noRepeatWindow.")
  public TorSettings update(JsonValue body) {
    JsonInput in = new JsonInput(body, SETTINGS);
    TorSettings cur = fleet.settings();
    Long size = in.integer("size", 0, 1000);
    Long interval = in.integer("rotationIntervalSeconds", 0, 86_400 * 7);
    Long window = in.integer("noRepeatWindow", 0, 10_000);
    List<String> countries = in.strings("countries");
    List<String> lines = in.strings("extraLines");
    Map<Integer, List<String>> perNode = nodeCountries(body, in);
    in.done();
    return fleet.update(
        new TorSettings(
            size == null ? cur.size() : size.intValue(),
            interval == null ? cur.rotationIntervalSeconds() : interval.intValue(),
            countries == null ? cur.countries() : countries,
            perNode == null ? cur.nodeCountries() : perNode,
            lines == null ? cur.extraLines() : lines,
            window == null ? cur.noRepeatWindow() : window.intValue()));
  }

  private static Map<Integer, List<String>> nodeCountries(JsonValue body, JsonInput in) {
    JsonValue v = ((JsonObject) body).get("nodeCountries");
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      in.error("nodeCountries", "must be an object of node index -> array of country codes");
      return null;
    }
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : o.entrySet()) {
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException bad) {
        in.error("nodeCountries", "keys must be node indexes (0, 1, ...)");
        return null;
      }
      if (index < 0 || index > 999 || !(e.getValue() instanceof JsonArray a)) {
        in.error("nodeCountries", "must map node indexes 0-999 to arrays of country codes");
        return null;
      }
      List<String> cc = new ArrayList<>();
      for (JsonValue x : a) {
        if (!(x instanceof JsonString s)) {
          in.error("nodeCountries", "must map node indexes to arrays of country codes");
          return null;
        }
        cc.add(s.getString());
      }
      out.put(index, cc);
    }
    return out;
  }
}
