package io.sluice.admin.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.RateLimiter;
import io.sluice.admin.domain.RateLimiters;
import io.sluice.platform.db.SluiceStarted;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  /** Keys asked of the limiters, prefixed by which one was asked. */
  private final List<String> asked = new ArrayList<>();

  private RuntimeException storeFailure;
  private final RateLimits limits = new RateLimits();

  @BeforeEach
  void setUp() {
    limits.limiters =
        new RateLimiters() {
          @Override
          public RateLimiter inMemory() {
            return limiter("memory");
          }

          @Override
          public RateLimiter shared() {
            return limiter("shared");
          }
        };
    limits.enabled = true;
    limits.apiPerMinute = 60;
    limits.loginPerMinute = 5;
    limits.keyPerMinute = 6000;
    limits.exempt = " ";
    limits.scheduler =
        (ManagedScheduledExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class},
                (p, m, a) -> null);
    limits.init();
  }

  private RateLimiter limiter(String name) {
    return (key, limit) -> {
      asked.add(name + " " + key + " " + limit.capacity());
      if (storeFailure != null) {
        throw storeFailure;
      }
      return key.startsWith("token:") ? new Decision.Denied(7) : new Decision.Allowed(1);
    };
  }

  @Test
  void checksTheAddressAndThenTheTokenInMemoryUntilTheDatabaseIsShared() {
    assertThat(limits.login("192.0.2.1")).isZero();
    assertThat(limits.api("192.0.2.1", "abc")).isEqualTo(7);
    limits.onStart(new SluiceStarted(false));
    limits.api("192.0.2.1", null);

    assertThat(asked)
        .containsExactly(
            "memory ip:192.0.2.1:login 5",
            "memory ip:192.0.2.1:api 60",
            "memory token:abc:api 60",
            "shared ip:192.0.2.1:api 60");
  }

  @Test
  void theEmbeddedDatabaseKeepsTheBucketsInMemory() {
    limits.onStart(new SluiceStarted(true));
    limits.login("192.0.2.1");

    assertThat(asked).containsExactly("memory ip:192.0.2.1:login 5");
  }

  @Test
  void aFailingStoreLetsRequestsThrough() {
    storeFailure = new IllegalStateException("database down");

    assertThat(limits.api("192.0.2.1", "abc")).isZero();
    assertThat(asked).hasSize(2); // the address and the token, both let through
  }

  @Test
  void exemptAddressesAndADisabledLimitAreNotChecked() {
    limits.exempt = "10.0.0.0/8";
    limits.onStart(new SluiceStarted(true));
    assertThat(limits.api("10.1.2.3", "abc")).isZero();
    limits.enabled = false;
    assertThat(limits.api("192.0.2.1", "abc")).isZero();

    assertThat(asked).isEmpty();
  }

  @Test
  void anApiKeyCountsAgainstItsOwnBucketOnlyNotTheAddressOrTokenLimits() {
    assertThat(limits.apiKey("192.0.2.1", 42)).isZero();

    assertThat(asked).containsExactly("memory apikey:42:api 6000");
  }
}
