package io.sluice.tor.app;

import java.util.List;
import java.util.Map;

/**
 * The fleet settings as the API shows and takes them.
 *
 * @param size nodes per server (0: no tor runs)
 * @param rotationIntervalSeconds automatic NEWNYM interval (0: off)
 * @param countries exit countries of every node (empty: any)
 * @param nodeCountries exit countries by node index, overriding {@code countries}
 * @param extraLines extra torrc lines (allow-listed keys)
 * @param noRepeatWindow an exit IP seen in this many newest rotations fleet-wide is rejected
 */
public record TorSettings(
    int size,
    int rotationIntervalSeconds,
    List<String> countries,
    Map<Integer, List<String>> nodeCountries,
    List<String> extraLines,
    int noRepeatWindow) {

  /** The countries of node {@code index}. */
  public List<String> countriesOf(int index) {
    return nodeCountries.getOrDefault(index, countries);
  }
}
