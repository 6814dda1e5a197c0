package io.sluice.platform.problem;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds {@code application/problem+json} responses (RFC 9457). */
public final class Problems {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** Problem type URIs are relative references into the docs (docs/api.md#problem-types). */
  private static final String TYPE_BASE = "/docs/problems#";

  private Problems() {}

  public static Response response(
      int status, String type, String title, String detail, List<ApiException.FieldError> errors) {
    return Response.status(status)
        .type(MEDIA_TYPE)
        .entity(body(status, type, title, detail, errors))
        .build();
  }

  public static Response of(ApiException e) {
    return response(e.status(), e.type(), e.title(), e.getMessage(), e.errors());
  }

  public static String body(
      int status, String type, String title, String detail, List<ApiException.FieldError> errors) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("type", TYPE_BASE + type)
            .add("title", title)
            .add("status", status);
    if (detail != null) {
      b.add("detail", detail);
    }
    if (errors != null && !errors.isEmpty()) {
      JsonArrayBuilder a = Json.createArrayBuilder();
      errors.forEach(e ->
          a.add(Json.createObjectBuilder().add("field", e.field()).add("message", e.message())));
      b.add("errors", a);
    }
    return b.build().toString();
  }

  /** A title for a bare HTTP status. */
  public static String title(int status) {
    Response.Status s = Response.Status.fromStatusCode(status);
    return s != null
        ? s.getReasonPhrase()
        : (status == 429 ? "Too Many Requests" : "HTTP " + status);
  }

  public static String type(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 409 -> "conflict";
      case 410 -> "gone";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 429 -> "too-many-requests";
      default -> status >= 500 ? "server-error" : "http-" + status;
    };
  }
}
