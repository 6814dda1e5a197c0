package io.sluice.admin.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The bundled list of the most common passwords ({@code io/sluice/app/common-passwords.txt}),
 * compared case-insensitively, also with trailing digits and punctuation removed, so "Password123!"
 * counts as "password".
 */
final class CommonPasswords {

  private static final Set<String> LIST = load();

  private CommonPasswords() {}

  static boolean contains(String password) {
    String p = password.toLowerCase(Locale.ROOT);
    return LIST.contains(p) || LIST.contains(p.replaceAll("[0-9!@#$%^&*.?_-]+$", ""));
  }

  private static Set<String> load() {
    Set<String> set = new HashSet<>();
    try (InputStream in = CommonPasswords.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the class path");
      }
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        r.lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .forEach(l -> set.add(l.toLowerCase(Locale.ROOT)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(set);
  }
}
