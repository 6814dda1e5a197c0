package io.sluice.client;

import java.util.List;

/**
 * An RFC 9457 problem document as the admin API sends it with every 4xx and 5xx answer. {@code
 * errors} is present on validation problems only.
 */
public record Problem(
    String type, String title, Integer status, String detail, List<FieldError> errors) {

  /** One invalid field of a validation problem. */
  public record FieldError(String field, String message) {}

  /** The name after {@code /docs/problems#} in {@code type}, e.g. {@code not-found}. */
  public String name() {
    if (type == null) {
      return "http-" + status;
    }
    int hash = type.indexOf('#');
    return hash < 0 ? type : type.substring(hash + 1);
  }
}
