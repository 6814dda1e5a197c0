package io.sluice.tor.infra.process;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code PROGRESS=n} of a bootstrap status ({@code GETINFO status/bootstrap-phase} or a {@code
 * 650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=n TAG=...} event, control-spec section 4.1.10).
 */
final class BootstrapPhase {

  private static final Pattern PROGRESS = Pattern.compile("\\bBOOTSTRAP PROGRESS=(\\d{1,3})\\b");
  private static final Pattern DEFERRED =
      Pattern.compile("^NOTICE Rate limiting NEWNYM request: delaying by (\\d{1,4}) second");

  private BootstrapPhase() {}

  /** The percentage in {@code text}, or -1 when it has none. */
  static int progress(String text) {
    Matcher m = PROGRESS.matcher(text == null ? "" : text);
    return m.find() ? Math.min(100, Integer.parseInt(m.group(1))) : -1;
  }

  /** The delay of a "Rate limiting NEWNYM" notice event, or -1 for any other text. */
  static int newnymDelay(String eventText) {
    Matcher m = DEFERRED.matcher(eventText);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
