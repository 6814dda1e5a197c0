package io.sluice.alerts.domain;

import java.util.List;

/** The channel senders, one per channel type. */
public interface Senders {

  List<ChannelSender> all();

  /** The sender of a channel type. */
  default ChannelSender of(String type) {
    return all().stream()
        .filter(s -> s.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no sender for " + type));
  }
}
