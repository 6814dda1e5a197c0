package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommaListTest {

  /** Element parser that records what it was given and rejects "bad". */
  private final List<String> seen = new ArrayList<>();

  private final Function<String, String> element =
      e -> {
        seen.add(e);
        if (e.strip().equals("bad")) {
          throw new IllegalArgumentException("bad entry \"" + e + "\": no good");
        }
        return e.strip().toUpperCase();
      };

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t \n"})
  void blankTextIsEmpty(String text) {
    assertThat(CommaList.parse(text, element)).isEmpty();
    assertThat(CommaList.split(text)).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void nullIsEmpty() {
    assertThat(CommaList.parse((String) null, element)).isEmpty();
    assertThat(CommaList.parse((List<String>) null, "unused", element)).isEmpty();
    assertThat(CommaList.parse(List.of(), "unused", element)).isEmpty();
    assertThat(CommaList.split(null)).isEmpty();
  }

  @Test
  void entriesGoToTheElementParserAsWrittenInOrder() {
    assertThat(CommaList.parse(" a ,b,\tc", element)).containsExactly("A", "B", "C");
    assertThat(seen).containsExactly(" a ", "b", "\tc");
  }

  @Test
  void singleEntry() {
    assertThat(CommaList.parse("a", element)).containsExactly("A");
  }

  @Test
  void emptyEntryBetweenCommasNamesItsPosition() {
    assertThatThrownBy(() -> CommaList.parse("a,, b", element))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty entry at position 2 in \"a,, b\" (doubled or trailing comma?)");
    assertThatThrownBy(() -> CommaList.parse("a, ,b", element))
        .hasMessage("empty entry at position 2 in \"a, ,b\" (doubled or trailing comma?)");
  }

  @Test
  void trailingAndLeadingCommasAreErrors() {
    assertThatThrownBy(() -> CommaList.parse("a,b,", element))
        .hasMessage("empty entry at position 4 in \"a,b,\" (doubled or trailing comma?)");
    assertThatThrownBy(() -> CommaList.parse(",a", element))
        .hasMessage("empty entry at position 0 in \",a\" (doubled or trailing comma?)");
  }

  @Test
  void theElementParsersExceptionPassesThroughUnchanged() {
    IllegalArgumentException cause = new IllegalArgumentException("from the element parser");
    assertThatThrownBy(() ->
            CommaList.parse(
                "a, b",
                e -> {
                  throw cause;
                }))
        .isSameAs(cause);
    assertThatThrownBy(() -> CommaList.parse("a, bad", element))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad entry \" bad\": no good");
  }

  @Test
  void parsingStopsAtTheFirstProblem() {
    assertThatThrownBy(() -> CommaList.parse("bad,,c", element))
        .hasMessage("bad entry \"bad\": no good");
    assertThat(seen).containsExactly("bad");
  }

  @Test
  void collectionConcatenatesItsTexts() {
    assertThat(CommaList.parse(List.of("a, b", "c"), "unused", element))
        .containsExactly("A", "B", "C");
  }

  @Test
  void blankElementOfACollectionGetsTheCallersMessage() {
    assertThatThrownBy(
            () -> CommaList.parse(List.of("a", " "), "empty entry (expected X)", element))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty entry (expected X)");
    assertThatThrownBy(
            () -> CommaList.parse(Arrays.asList("a", null), "empty entry (expected X)", element))
        .hasMessage("empty entry (expected X)");
  }

  @Test
  void emptyEntryInsideAnElementOfACollection() {
    assertThatThrownBy(() -> CommaList.parse(List.of("a", "b,"), "unused", element))
        .hasMessage("empty entry at position 2 in \"b,\" (doubled or trailing comma?)");
  }

  @Test
  void splitTrimsAndDropsEmptyEntries() {
    assertThat(CommaList.split(" a ,b,\tc ")).containsExactly("a", "b", "c");
    assertThat(CommaList.split("a,, b, ,")).containsExactly("a", "b");
    assertThat(CommaList.split(",a,")).containsExactly("a");
    assertThat(CommaList.split(",, ,")).isEmpty();
  }

  /** The settings code used to split with {@code String.split}; the result must not change. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        " a ",
        "a,b",
        "a,,b",
        ",a",
        "a,",
        ",,,",
        " , ",
        "a, \u2003 ,b",
        "\u2003",
        "x\u0001,y"
      })
  void splitMatchesThePreviousSettingsSplit(String text) {
    List<String> previous =
        text.isBlank()
            ? List.of()
            : Arrays.stream(text.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    assertThat(CommaList.split(text)).isEqualTo(previous);
  }

  @Test
  void splitResultIsUnmodifiable() {
    assertThatThrownBy(() -> CommaList.split("a").add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
