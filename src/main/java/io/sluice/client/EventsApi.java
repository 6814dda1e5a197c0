package io.sluice.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** {@code /api/v1/events}: the console's live update stream (server-sent events). */
@Path("/v1/events")
public interface EventsApi {

  /**
   * The stream as it arrives ({@code event:}/{@code data:} lines, docs/console.md); it stays open
   * until the access token expires or the caller closes it. The call's time-out applies only until
   * the answer's headers arrived.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  InputStream stream();
}
