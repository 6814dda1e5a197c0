package io.sluice.cluster.api;

import io.sluice.cluster.app.ClusterNodes;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The nodes sharing this database. */
@Path("/v1/nodes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
public class NodesResource {

  @Inject ClusterNodes nodes;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Every node registered in the shared database: name, version, admin URL, listeners,"
              + " start time, last heartbeat, whether it is alive, and the cluster leases it"
              + " holds (which node runs the once-per-cluster jobs).")
  public Map<String, List<ClusterNodes.NodeView>> list() {
    return Map.of("items", nodes.nodes());
  }
}
