package io.sluice.admin.app;

import io.sluice.platform.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rules for admin passwords: at least 12 characters, at most 256, not the username, and not in the
 * bundled list of the most common passwords ({@code common-passwords.txt}). Each failed rule
 * becomes a field error naming the rule, so the caller knows what to change.
 */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 256;

  private PasswordPolicy() {}

  public static List<ApiException.FieldError> check(
      String field, String username, String password) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (password == null || password.isEmpty()) {
      errors.add(new ApiException.FieldError(field, "is required"));
      return errors;
    }
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      errors.add(
          new ApiException.FieldError(
              field, "must be at least " + MIN_LENGTH + " characters (rule: min-length)"));
    }
    if (password.length() > MAX_LENGTH) {
      errors.add(
          new ApiException.FieldError(
              field, "must be at most " + MAX_LENGTH + " characters (rule: max-length)"));
    }
    if (CommonPasswords.contains(password)) {
      errors.add(
          new ApiException.FieldError(
              field, "is one of the most common passwords (rule: not-common)"));
    }
    if (username != null
        && password.toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
      errors.add(
          new ApiException.FieldError(field, "must not be the username (rule: not-username)"));
    }
    return errors;
  }
}
