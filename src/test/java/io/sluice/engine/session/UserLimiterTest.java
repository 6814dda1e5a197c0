package io.sluice.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserLimiterTest {

  static ProxyPrincipal user(UserLimits limits) {
    return new ProxyPrincipal(7L, "u", limits, List.of(), null);
  }

  @Test
  void concurrencyLimitAndRelease() {
    UserLimiter l = new UserLimiter();
    var a = l.admit(user(new UserLimits(2, 0, 0, 0)));
    var b = l.admit(user(new UserLimits(2, 0, 0, 0)));
    assertThat(l.admit(user(new UserLimits(2, 0, 0, 0))))
        .isEqualTo(new Admission.Refused("max-connections"));
    ((Admission.Admitted) a).allowance().release();
    ((Admission.Admitted) a).allowance().release(); // idempotent
    assertThat(l.active(7L)).isEqualTo(1);
    assertThat(l.admit(user(new UserLimits(2, 0, 0, 0)))).isInstanceOf(Admission.Admitted.class);
    assertThat(b).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void newLimitsApplyToNewSessionsAndKeepTheCount() {
    UserLimiter l = new UserLimiter();
    var first = (Admission.Admitted) l.admit(user(new UserLimits(0, 1000, 0, 0)));
    assertThat(first.allowance().up()).isNotNull();
    assertThat(first.allowance().down()).isNull();
    // the principal now carries stricter limits: one session at most, and it is already used
    assertThat(l.admit(user(new UserLimits(1, 0, 2000, 0)))).isInstanceOf(Admission.Refused.class);
    first.allowance().release();
    var second = (Admission.Admitted) l.admit(user(new UserLimits(1, 0, 2000, 0)));
    assertThat(second.allowance().up()).isNull();
    assertThat(second.allowance().down()).isNotNull();
    assertThat(second.allowance().downBps()).isEqualTo(2000);
  }

  @Test
  void sessionsPerMinute() {
    UserLimiter l = new UserLimiter();
    UserLimits limits = new UserLimits(0, 0, 0, 2);
    assertThat(l.admit(user(limits))).isInstanceOf(Admission.Admitted.class);
    assertThat(l.admit(user(limits))).isInstanceOf(Admission.Admitted.class);
    assertThat(l.admit(user(limits))).isEqualTo(new Admission.Refused("connections-per-minute"));
  }

  @Test
  void unlimitedMeansNoBuckets() {
    var a = (Admission.Admitted) new UserLimiter().admit(ProxyPrincipal.anonymous());
    assertThat(a.allowance().up()).isNull();
    assertThat(a.allowance().down()).isNull();
  }
}
