package io.sluice.alerts.domain;

/** Sends a notice through one kind of channel. Implementations never log secrets. */
public interface ChannelSender {

  /** The channel type it serves: {@code email}, {@code telegram} or {@code webhook}. */
  String type();

  /** Sends, or throws what went wrong and whether trying again may help. */
  void send(Channel channel, Notice notice) throws DeliveryFailure;
}
