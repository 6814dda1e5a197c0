package io.sluice.exits.domain;

import io.sluice.exits.domain.selection.ExitState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores an {@link ExitState} in the {@code exit_node.state} column as its {@linkplain
 * ExitState#wireName() wire name} ({@code healthy}, {@code suspect}, {@code unhealthy}); a value
 * the code does not know reads as {@code SUSPECT}, so it is checked again rather than trusted.
 */
@Converter
public class ExitStateConverter implements AttributeConverter<ExitState, String> {

  @Override
  public String convertToDatabaseColumn(ExitState state) {
    return state == null ? null : state.wireName();
  }

  @Override
  public ExitState convertToEntityAttribute(String value) {
    if (value == null) {
      return null;
    }
    ExitState s = ExitState.fromWire(value);
    return s == null ? ExitState.SUSPECT : s;
  }
}
