package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.SluiceClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders answers as {@code table} (aligned columns for lists, key/value lines for one object),
 * {@code json} (the whole answer, pretty-printed, for {@code jq} and scripts) or {@code csv} (RFC
 * 4180: a header row, fields quoted when they contain a comma, quote or line break). Tables and CSV
 * show the named columns of a list; nested objects become dotted keys, lists comma-joined values.
 */
public final class Output {

  /** The output formats of {@code -o}. */
  public enum Format {
    table,
    json,
    csv
  }

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectMapper json = SluiceClient.objectMapper();
  private final Format format;
  private final PrintWriter out;

  public Output(Format format, PrintWriter out) {
    this.format = format;
    this.out = out;
  }

  public Format format() {
    return format;
  }

  /** A list: the columns in table and CSV, every field in JSON. */
  public void list(Collection<?> items, String... columns) {
    if (format == Format.json) {
      printJson(items == null ? List.of() : items);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Object item : items == null ? List.<Object>of() : items) {
      Map<String, String> flat = flatten(item);
      List<String> row = new ArrayList<>();
      for (String c : columns) {
        row.add(flat.getOrDefault(c, ""));
      }
      rows.add(row);
    }
    List<String> header = List.of(columns);
    if (format == Format.csv) {
      csvRow(header);
      rows.forEach(this::csvRow);
    } else {
      table(header, rows);
    }
    out.flush();
  }

  /** One object: key/value lines in a table, one header and one row in CSV, itself in JSON. */
  public void object(Object value) {
    if (format == Format.json) {
      printJson(value);
      return;
    }
    Map<String, String> flat = flatten(value);
    if (format == Format.csv) {
      csvRow(new ArrayList<>(flat.keySet()));
      csvRow(new ArrayList<>(flat.values()));
    } else {
      int width = flat.keySet().stream().mapToInt(String::length).max().orElse(0);
      flat.forEach((k, v) -> out.println(pad(k, width) + "  " + v));
    }
    out.flush();
  }

  /** A line for people, in table format only (JSON and CSV stay parseable). */
  public void note(String line) {
    if (format == Format.table) {
      out.println(line);
      out.flush();
    }
  }

  /** The value's fields as dotted keys, in the order the server sent them; nulls left out. */
  Map<String, String> flatten(Object value) {
    Map<String, String> flat = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> || !(value instanceof CharSequence || value instanceof Number)) {
      Map<String, Object> map = json.convertValue(value, MAP);
      flatten("", map, flat);
    } else {
      flat.put("value", String.valueOf(value));
    }
    return flat;
  }

  private void flatten(String prefix, Map<String, Object> map, Map<String, String> flat) {
    if (map == null) {
      return;
    }
    for (var e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      if (v instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) nested;
        flatten(key + ".", m, flat);
      } else {
        flat.put(key, cell(v));
      }
    }
  }

  private String cell(Object v) {
    if (v instanceof Collection<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(
            o instanceof Map<?, ?> || o instanceof Collection<?> ? compact(o) : String.valueOf(o));
      }
      return String.join(",", parts);
    }
    return String.valueOf(v);
  }

  private String compact(Object o) {
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      return String.valueOf(o);
    }
  }

  private void printJson(Object value) {
    try {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new CliException(ExitCodes.ERROR, "cannot render JSON: " + e.getMessage());
    }
  }

  private void table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    List<String> upper = new ArrayList<>();
    for (String h : header) {
      upper.add(h.toUpperCase(Locale.ROOT));
    }
    out.println(line(upper, width));
    for (List<String> r : rows) {
      out.println(line(r, width));
    }
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      b.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), width[i]));
    }
    return b.toString().stripTrailing();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private void csvRow(List<String> cells) {
    List<String> quoted = new ArrayList<>();
    for (String c : cells) {
      quoted.add(csvField(c));
    }
    out.print(String.join(",", quoted));
    out.print("\r\n");
  }

  static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
