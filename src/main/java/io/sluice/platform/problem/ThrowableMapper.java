package io.sluice.platform.problem;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.transaction.RollbackException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.UUID;

/**
 * Everything else: JAX-RS errors keep their status (404 unknown path, 405, 406, 415, ...),
 * unreadable JSON becomes 400, a database that cannot be reached becomes 503 {@code
 * database-unavailable} (with an error id in the detail and in a one-line log), and anything
 * unexpected becomes a 500 whose detail carries only an error id that is also in the log line with
 * the stack trace.
 */
@Provider
public class ThrowableMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = System.getLogger(ThrowableMapper.class.getName());

  @Override
  public Response toResponse(Throwable t) {
    ApiException api = find(t, ApiException.class);
    if (api != null) {
      return Problems.of(api);
    }
    if (find(t, JsonException.class) != null || find(t, JsonbException.class) != null) {
      return Problems.response(
          400,
          "malformed-json",
          "Malformed JSON",
          "the request body is not valid JSON of the expected shape",
          null);
    }
    if (t instanceof WebApplicationException wae && wae.getResponse() != null) {
      int status = wae.getResponse().getStatus();
      if (status == 400 && t.getCause() != null) {
        return Problems.response(
            400, "malformed-json", "Malformed JSON", "the request body could not be read", null);
      }
      Response.ResponseBuilder r =
          Response.fromResponse(
              Problems.response(
                  status,
                  Problems.type(status),
                  Problems.title(status),
                  detail(status, wae),
                  null));
      String allow = wae.getResponse().getHeaderString("Allow");
      if (allow != null) {
        r.header("Allow", allow);
      }
      return r.build();
    }
    if (find(t, org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException.class)
        != null) {
      return Response.fromResponse(
              Problems.response(
                  429,
                  "too-many-requests",
                  "Too Many Requests",
                  "too many checks are running; retry shortly",
                  null))
          .header("Retry-After", "5")
          .build();
    }
    if (find(t, org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class)
        != null) {
      return Problems.response(
          504, "timeout", "Gateway Timeout", "the operation did not finish in time", null);
    }
    if (DatabaseFailures.isConnectionFailure(t)) {
      // Before the rollback check: a commit that fails because the connection is gone is not a
      // conflict the client can resolve by retrying at once.
      String errorId = UUID.randomUUID().toString();
      LOG.log(
          Level.WARNING,
          "SLUICE0700W: database unavailable, error id " + errorId + ": " + rootMessage(t));
      return Response.fromResponse(
              Problems.response(
                  503,
                  "database-unavailable",
                  "Service Unavailable",
                  "the database cannot be reached; retry shortly (error id " + errorId + ")",
                  null))
          .header("Retry-After", "5")
          .build();
    }
    if (find(t, RollbackException.class) != null
        || find(t, jakarta.persistence.OptimisticLockException.class) != null) {
      return Problems.response(
          409,
          "conflict",
          "Conflict",
          "the resource was changed concurrently; retry the request",
          null);
    }
    String errorId = UUID.randomUUID().toString();
    LOG.log(Level.ERROR, "SLUICE0100E: unexpected error " + errorId + ": " + t, t);
    return Problems.response(
        500,
        "server-error",
        "Internal Server Error",
        "unexpected error; see the server log for error id " + errorId,
        null);
  }

  private static String detail(int status, WebApplicationException e) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 406 -> "this resource produces application/json";
      case 415 -> "send the request body as application/json";
      default -> e.getMessage();
    };
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    int guard = 0;
    while (root.getCause() != null && root.getCause() != root && guard++ < 64) {
      root = root.getCause();
    }
    return root.getClass().getName() + ": " + root.getMessage();
  }

  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
