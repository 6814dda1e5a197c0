package io.sluice.alerts.infra;

import io.sluice.alerts.domain.ChannelSender;
import io.sluice.alerts.domain.Senders;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The email, Telegram and webhook senders with the timeouts of {@code
 * sluice.alerts.send-timeout-seconds} (default 10: each of SMTP connect/read/write, HTTP connect
 * and request).
 */
@ApplicationScoped
public class ChannelSenders implements Senders {

  @Inject
  @ConfigProperty(name = "sluice.alerts.send-timeout-seconds", defaultValue = "10")
  int timeoutSeconds;

  @Inject
  @ConfigProperty(name = "sluice.alerts.external-url")
  Optional<String> externalUrl;

  private List<ChannelSender> senders;

  @PostConstruct
  void init() {
    Duration t = Duration.ofSeconds(Math.max(1, timeoutSeconds));
    senders =
        List.of(
            new EmailSender(t),
            new TelegramSender(t),
            new WebhookSender(t, externalUrl.orElse("")));
  }

  @Override
  public List<ChannelSender> all() {
    return senders;
  }
}
