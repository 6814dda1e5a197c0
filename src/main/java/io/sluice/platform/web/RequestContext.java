package io.sluice.platform.web;

/**
 * Request id and source address of the admin request being served on this thread (set by the API's
 * request filter), so audit events carry them without every caller passing them along.
 */
public final class RequestContext {

  /** What is known of the current request. */
  public record Info(String requestId, String sourceIp) {}

  private static final ThreadLocal<Info> CURRENT = new ThreadLocal<>();

  private RequestContext() {}

  public static void set(Info info) {
    CURRENT.set(info);
  }

  public static Info get() {
    Info i = CURRENT.get();
    return i == null ? new Info(null, null) : i;
  }

  public static void clear() {
    CURRENT.remove();
  }
}
