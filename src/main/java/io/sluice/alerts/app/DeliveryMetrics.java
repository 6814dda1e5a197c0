package io.sluice.alerts.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code sluice_alert_deliveries_total{channel,outcome}}: messages by channel type ({@code email},
 * {@code telegram}, {@code webhook}) and outcome ({@code sent}, {@code retry}, {@code failed}).
 */
@ApplicationScoped
public class DeliveryMetrics {

  static final String NAME = "sluice_alert_deliveries";

  @Inject MetricRegistry registry;

  public void outcome(String channelType, String outcome) {
    registry.counter(NAME, new Tag("channel", channelType), new Tag("outcome", outcome)).inc();
  }
}
