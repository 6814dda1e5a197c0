package io.sluice.console.api;

import io.sluice.console.app.ConsoleEvents;
import io.sluice.console.app.Subscriber;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/events}: the console's live update stream (server-sent events), open to admins
 * and viewers; what a stream receives depends on the caller's role.
 */
@Path("/v1/events")
@RequestScoped
@Tag(name = "console")
public class EventsResource {

  private static final Logger LOG = System.getLogger(EventsResource.class.getName());

  @Inject ConsoleEvents events;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Server-sent events for the console: 'hello', 'stats' every 2 s (live sessions, exits by "
              + "state, agents online), 'agent' (tunnel agent connected/disconnected/refused), "
              + "'security' (admins only), 'expired' when the access token expires (then the stream ends).")
  public void stream(
      @Context SseEventSink sink, @Context Sse sse, @Context SecurityContext security) {
    String role = security.isUserInRole(Roles.ADMIN) ? Roles.ADMIN : Roles.VIEWER;
    Instant expires = Instant.now().plusSeconds(900);
    if (security.getUserPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
      expires = Instant.ofEpochSecond(jwt.getExpirationTime());
    }
    if (!events.subscribe(new SseSubscriber(sink, sse, role, expires))) {
      throw ApiException.unavailable("too many open event streams on this node; retry later");
    }
  }

  /** A subscriber on a JAX-RS event sink; sends are serialised per stream. */
  record SseSubscriber(SseEventSink sink, Sse sse, String role, Instant expiresAt)
      implements Subscriber {

    @Override
    public synchronized boolean send(String event, String json) {
      if (sink.isClosed()) {
        return false;
      }
      try {
        sink.send(sse.newEventBuilder().name(event).data(json).build())
            .whenComplete((ok, failure) -> {
              if (failure != null) {
                close();
              }
            });
        return true;
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "event stream send failed: {0}", e.toString());
        return false;
      }
    }

    @Override
    public boolean isClosed() {
      return sink.isClosed();
    }

    @Override
    public void close() {
      try {
        sink.close();
      } catch (java.io.IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "event stream close failed: {0}", e.toString());
      }
    }
  }
}
