package io.sluice.alerts.api;

import io.sluice.alerts.app.ChannelService;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Alert channels: email, Telegram, webhook. Secret fields ({@code password}, {@code botToken},
 * {@code headers}) are write-only: answers list only which are set.
 */
@Path("/v1/alerts/channels")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertChannelsResource {

  @Inject ChannelService channels;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List the channels (secrets never shown).")
  public Map<String, List<ChannelService.ChannelView>> list() {
    return Map.of("items", channels.list());
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Create a channel: email {name,type,host,port,tls,username,password,from,to}, telegram "
              + "{name,type,botToken,chatId,threadId,apiBaseUrl}, webhook {name,type,url,headers}.")
  public Response create(JsonValue body) {
    return Response.status(201).entity(channels.create(spec(body))).build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One channel.")
  public ChannelService.ChannelView get(@PathParam("id") long id) {
    return channels.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Change fields of a channel; secrets not sent stay as they were, null removes an "
              + "optional field.")
  public ChannelService.ChannelView update(@PathParam("id") long id, JsonValue body) {
    return channels.update(id, spec(body));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a channel and its pending deliveries.")
  public Response delete(@PathParam("id") long id) {
    channels.delete(id);
    return Response.noContent().build();
  }

  @POST
  @Path("/{id}/test")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Send a test message now (outside the outbox); answers {sent:true} or {sent:false, "
              + "error, retryable}.")
  public Map<String, Object> test(@PathParam("id") long id) {
    return channels.test(id);
  }

  private static ChannelService.Spec spec(JsonValue body) {
    if (!(body instanceof JsonObject o)) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    String name = null;
    String type = null;
    Boolean enabled = null;
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : o.entrySet()) {
      JsonValue v = e.getValue();
      switch (e.getKey()) {
        case "name" -> name = text(v, "name");
        case "type" -> type = text(v, "type");
        case "enabled" -> {
          if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            throw ApiException.validation("enabled", "must be true or false");
          }
          enabled = v == JsonValue.TRUE;
        }
        default -> fields.put(e.getKey(), v);
      }
    }
    return new ChannelService.Spec(name, type, enabled, fields);
  }

  private static String text(JsonValue v, String field) {
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw ApiException.validation(field, "must be a string");
  }
}
