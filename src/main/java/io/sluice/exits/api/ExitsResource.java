package io.sluice.exits.api;

import io.sluice.exits.app.ExitService;
import io.sluice.platform.db.Page;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Exits: direct, upstream SOCKS5, upstream HTTP. Passwords are write-only. */
@Path("/v1/exits")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "exits")
public class ExitsResource {

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("name", String.class),
          Map.entry("kind", String.class),
          Map.entry("host", String.class),
          Map.entry("port", Long.class),
          Map.entry("username", String.class),
          Map.entry("upstreamUsernameTemplate", String.class),
          Map.entry("password", String.class),
          Map.entry("localAddress", String.class),
          Map.entry("country", String.class),
          Map.entry("enabled", Boolean.class),
          Map.entry("state", String.class),
          Map.entry("expectedIp", String.class),
          Map.entry("checkUrl", String.class));

  @Inject ExitService exits;
  @Inject io.sluice.exits.app.ExitHealthService health;
  @Inject io.sluice.exits.app.ExitHealthStore healthStore;
  @Inject io.sluice.exits.app.ExitMonitor monitor;
  @Inject io.sluice.exits.app.ExitCheckJobs checkJobs;

  @POST
  @Path("/{id}/check")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Check one exit now, through the exit, against its IP-echo URL (synchronous).")
  public io.sluice.exits.app.ExitHealthService.CheckResult check(@PathParam("id") long id) {
    return health.check(id);
  }

  @POST
  @Path("/check")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Check all enabled exits, or those matching pool/state/country: 202 with a job to poll,"
              + " or with wait=true 200 with the summary once all are done.")
  public Response checkAll(
      @QueryParam("pool") String pool,
      @QueryParam("state") String state,
      @QueryParam("country") String country,
      @QueryParam("wait") @DefaultValue("false") boolean wait,
      @Context UriInfo uri) {
    String c = country == null ? null : country.toLowerCase(java.util.Locale.ROOT);
    if (wait) {
      return Response.ok(health.checkAll(pool, state, c)).build();
    }
    io.sluice.exits.app.ExitCheckJobStore.JobView job = checkJobs.start(pool, state, c);
    return Response.accepted(job)
        .location(
            uri.getBaseUriBuilder()
                .path(ExitsResource.class)
                .path("checks")
                .path(String.valueOf(job.id()))
                .build())
        .build();
  }

  @GET
  @Path("/checks")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The recent exit check jobs, newest first, without their results.")
  public Map<String, java.util.List<io.sluice.exits.app.ExitCheckJobStore.JobView>> checkJobs() {
    return Map.of("items", checkJobs.recent());
  }

  @GET
  @Path("/checks/{job}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Progress of an exit check job, with the results so far (results=false leaves them out).")
  public io.sluice.exits.app.ExitCheckJobStore.JobView checkJob(
      @PathParam("job") long job, @QueryParam("results") @DefaultValue("true") boolean results) {
    return checkJobs.view(job, results);
  }

  /** One past check. */
  public record Check(
      java.time.Instant checkedAt,
      boolean healthy,
      String actualIp,
      Integer latencyMs,
      Integer httpStatus,
      String error,
      String checkedBy) {}

  @GET
  @Path("/{id}/checks")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The most recent health checks of an exit, newest first.")
  public Map<String, java.util.List<Check>> checks(@PathParam("id") long id) {
    return Map.of(
        "items",
        healthStore.history(id).stream()
            .map(c ->
                new Check(
                    c.checkedAt,
                    c.healthy,
                    c.actualIp,
                    c.latencyMs,
                    c.httpStatus,
                    c.error,
                    c.checkedBy))
            .toList());
  }

  @GET
  @Path("/monitor")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "Whether this node's periodic exit monitor is running.")
  public Map<String, Object> monitor() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("running", monitor.running());
    m.put("intervalSeconds", monitor.intervalSeconds());
    m.put("lastRun", monitor.lastRun());
    m.put("lastRoundStartedAt", monitor.lastStart());
    m.put("holdsClusterLease", monitor.holdsLease());
    m.put("leaseHeldSince", monitor.heldSince());
    return m;
  }

  @POST
  @Path("/monitor/{action: start|stop}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Start or stop this node's periodic exit monitor.")
  public Map<String, Object> monitor(@PathParam("action") String action) {
    if ("start".equals(action)) {
      monitor.start();
    } else {
      monitor.stop();
    }
    return monitor();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List exits, paged, filtered by pool name, state, country and provider id.")
  public Page<ExitService.ExitView> list(
      @QueryParam("pool") String pool,
      @QueryParam("state") String state,
      @QueryParam("country") String country,
      @QueryParam("provider") Long provider,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return exits.list(
        pool,
        state,
        country == null ? null : country.toLowerCase(java.util.Locale.ROOT),
        provider,
        page,
        size);
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Create an exit (kind direct|socks5|http; host and port for upstreams).")
  public Response create(JsonValue body, @Context UriInfo uri) {
    ExitService.ExitView created = exits.create(read(body));
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
        .entity(created)
        .build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One exit (never its password).")
  public ExitService.ExitView get(@PathParam("id") long id) {
    return exits.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Change fields of an exit (merge patch).")
  public ExitService.ExitView update(@PathParam("id") long id, JsonValue body) {
    return exits.update(id, read(body));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete an exit (it leaves every pool).")
  public Response delete(@PathParam("id") long id) {
    exits.delete(id);
    return Response.noContent().build();
  }

  static Map<String, Object> read(JsonValue body) {
    JsonInput in = new JsonInput(body, ExitService.FIELDS);
    Map<String, Object> values = in.typed(TYPES);
    in.done();
    return values;
  }
}
