package io.sluice.cli;

/**
 * The exit codes of {@code sluice} (the table is in docs/cli.md): one per kind of failure, so that
 * scripts can tell "not there" from "not allowed" from "server down".
 */
public final class ExitCodes {

  public static final int OK = 0;

  /** Anything not covered below (an unexpected error, a file that cannot be written). */
  public static final int ERROR = 1;

  /** Wrong options or arguments (picocli's usage error). */
  public static final int USAGE = 2;

  /** 401: not logged in, wrong password or TOTP code, expired login. */
  public static final int UNAUTHORIZED = 3;

  /** 403: the token's role does not allow it (or HTTPS required, outside the whitelist). */
  public static final int FORBIDDEN = 4;

  /** 404 and 410: no such object, or a revoked one. */
  public static final int NOT_FOUND = 5;

  /** 409: name taken, in use, own account, self-lockout, exhausted. */
  public static final int CONFLICT = 6;

  /** 400, 405, 406, 413, 415, 422 and other 4xx: the request was refused as invalid. */
  public static final int INVALID = 7;

  /** 429: rate limit or login lockout. */
  public static final int TOO_MANY_REQUESTS = 8;

  /** 5xx: the server failed or a dependency is unavailable; retrying may help. */
  public static final int SERVER_ERROR = 9;

  /** The server could not be reached at all. */
  public static final int UNREACHABLE = 10;

  private ExitCodes() {}

  /** The exit code for an HTTP error status. */
  public static int forStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404, 410 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 429 -> TOO_MANY_REQUESTS;
      default -> status >= 500 ? SERVER_ERROR : status >= 400 ? INVALID : ERROR;
    };
  }
}
