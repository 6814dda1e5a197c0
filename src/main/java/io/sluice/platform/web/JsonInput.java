package io.sluice.platform.web;

import io.sluice.platform.problem.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a JSON object field by field, collecting one field error per wrong type or unknown field
 * instead of failing on the first, so a client learns everything it must fix in one round trip.
 */
public final class JsonInput {

  private final JsonObject json;
  private final List<ApiException.FieldError> errors = new ArrayList<>();

  public JsonInput(JsonValue body, Set<String> allowed) {
    if (!(body instanceof JsonObject object)) {
      throw new ApiException(
          400, "malformed-json", "Malformed JSON", "the request body must be a JSON object", null);
    }
    this.json = object;
    for (String key : json.keySet()) {
      if (!allowed.contains(key)) {
        errors.add(new ApiException.FieldError(key, "unknown field"));
      }
    }
  }

  public Set<String> present() {
    return new HashSet<>(json.keySet());
  }

  boolean has(String field) {
    return json.containsKey(field);
  }

  public String string(String field, boolean required) {
    JsonValue v = json.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    error(field, "must be a string");
    return null;
  }

  public Boolean bool(String field) {
    JsonValue v = json.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v == JsonValue.TRUE
        || v == JsonValue.FALSE
        || v.getValueType() == JsonValue.ValueType.TRUE
        || v.getValueType() == JsonValue.ValueType.FALSE) {
      return v.getValueType() == JsonValue.ValueType.TRUE;
    }
    error(field, "must be true or false");
    return null;
  }

  public Long integer(String field, long min, long max) {
    JsonValue v = json.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonNumber n && n.isIntegral()) {
      try {
        long value = n.longValueExact();
        if (value < min || value > max) {
          error(field, "must be between " + min + " and " + max);
          return null;
        }
        return value;
      } catch (ArithmeticException tooBig) {
        error(field, "is out of range");
        return null;
      }
    }
    error(field, "must be an integer");
    return null;
  }

  public Instant instant(String field) {
    String s = string(field, false);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      error(field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
      return null;
    }
  }

  public List<String> strings(String field) {
    JsonValue v = json.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      error(field, "must be an array of strings");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonValue item : a) {
      if (item instanceof JsonString s) {
        out.add(s.getString());
      } else {
        error(field, "must be an array of strings");
        return null;
      }
    }
    return out;
  }

  List<Long> longs(String field) {
    JsonValue v = json.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonArray a) {
      List<Long> out = new ArrayList<>();
      for (JsonValue item : a) {
        if (item instanceof JsonNumber n && n.isIntegral()) {
          out.add(n.longValue());
        } else {
          error(field, "must be an array of integers");
          return null;
        }
      }
      return out;
    }
    error(field, "must be an array of integers");
    return null;
  }

  /**
   * Reads the present fields by their declared type into a map (absent fields are absent, JSON null
   * stays null), collecting type errors.
   */
  public java.util.Map<String, Object> typed(java.util.Map<String, Class<?>> types) {
    java.util.Map<String, Object> out = new java.util.HashMap<>();
    types.forEach((field, type) -> {
      if (!json.containsKey(field)) {
        return;
      }
      Object value;
      if (type == String.class) {
        value = string(field, false);
      } else if (type == Long.class) {
        value = integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
      } else if (type == Boolean.class) {
        value = bool(field);
      } else if (type == List.class) {
        value = longs(field);
      } else {
        throw new IllegalArgumentException("unsupported type " + type);
      }
      out.put(field, value);
    });
    return out;
  }

  public void error(String field, String message) {
    errors.add(new ApiException.FieldError(field, message));
  }

  /** Adds errors found by a later validation step, so all are reported together. */
  public void addAll(List<ApiException.FieldError> more) {
    for (ApiException.FieldError e : more) {
      if (errors.stream().noneMatch(x -> x.field().equals(e.field()))) {
        errors.add(e);
      }
    }
  }

  /** Throws a validation problem listing every collected error, if any. */
  public void done() {
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }
}
