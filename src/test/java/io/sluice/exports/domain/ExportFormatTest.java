package io.sluice.exports.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportFormatTest {

  @Test
  void parseIsCaseInsensitive() {
    assertThat(ExportFormat.parse("txt")).isEqualTo(ExportFormat.TXT);
    assertThat(ExportFormat.parse("TXT")).isEqualTo(ExportFormat.TXT);
    assertThat(ExportFormat.parse("Csv")).isEqualTo(ExportFormat.CSV);
    assertThat(ExportFormat.parse("jSoN")).isEqualTo(ExportFormat.JSON);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "xml", " csv", "csv ", "c\u017fv", "jsonl", "t\nxt"})
  void parseRejectsUnknownAndListsValidValues(String s) {
    assertThatThrownBy(() -> ExportFormat.parse(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("txt, csv, json");
  }

  @Test
  void parseRejectsNull() {
    assertThatThrownBy(() -> ExportFormat.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("txt, csv, json");
  }

  @Test
  void mediaTypesAndExtensions() {
    assertThat(ExportFormat.TXT.mediaType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(ExportFormat.CSV.mediaType()).isEqualTo("text/csv; charset=utf-8");
    assertThat(ExportFormat.JSON.mediaType()).isEqualTo("application/json");
    assertThat(ExportFormat.TXT.fileExtension()).isEqualTo("txt");
    assertThat(ExportFormat.CSV.fileExtension()).isEqualTo("csv");
    assertThat(ExportFormat.JSON.fileExtension()).isEqualTo("json");
  }
}
