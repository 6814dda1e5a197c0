package io.sluice.platform.problem;

import java.util.List;

/**
 * A failure that the API reports as an RFC 9457 problem document. Services throw it for expected
 * failures (validation, not found, conflict); the API layer maps it.
 */
public class ApiException extends RuntimeException {

  /** A validation error on one field of the request body or query. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;

  public ApiException(
      int status, String type, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad request", detail, null);
  }

  public static ApiException validation(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    return new ApiException(400, "validation", "Validation failed", detail, errors);
  }

  public static ApiException validation(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not-found", "Not found", what + " does not exist", null);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Unauthorized", detail, null);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail, null);
  }

  /** 503: a dependency this call needs is not available now; the caller may retry. */
  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Service unavailable", detail, null);
  }

  /** 409: the address pool has no free address. */
  public static ApiException poolExhausted(String detail) {
    return new ApiException(409, "pool-exhausted", "Pool exhausted", detail, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
