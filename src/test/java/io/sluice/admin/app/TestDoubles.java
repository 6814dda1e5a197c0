package io.sluice.admin.app;

import io.sluice.audit.app.AuditService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** Stand-ins for the collaborators of the admin services that are not ports of this feature. */
final class TestDoubles {

  private TestDoubles() {}

  /**
   * A metric registry whose metrics count nothing (any interface-typed result is such a no-op
   * proxy).
   */
  static MetricRegistry metrics() {
    return noop(MetricRegistry.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T noop(Class<T> type) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              Class<?> r = method.getReturnType();
              if (method.getName().equals("equals")) {
                return proxy == args[0];
              }
              if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
              }
              if (r == boolean.class) {
                return false;
              }
              if (r == long.class || r == int.class || r == double.class) {
                return r == long.class ? 0L : r == int.class ? 0 : 0.0;
              }
              return r.isInterface() ? noop(r) : null;
            });
  }

  /** The audit log as a list of "action outcome target" lines. */
  static final class RecordingAudit extends AuditService {
    final List<String> lines = new ArrayList<>();

    @Override
    public void record(String actor, String action, String target, String outcome, String detail) {
      lines.add(action + " " + outcome + " " + target);
    }

    @Override
    public void recordQuietly(
        String actor, String action, String target, String outcome, String detail) {
      record(actor, action, target, outcome, detail);
    }
  }

  /** Issues readable fake access tokens: {@code jwt:<user>:<groups>}. */
  static final class FakeJwt extends JwtService {
    @Override
    public Issued issue(String username, List<String> groups) {
      return new Issued("jwt:" + username + ":" + String.join(",", groups), 900);
    }
  }
}
