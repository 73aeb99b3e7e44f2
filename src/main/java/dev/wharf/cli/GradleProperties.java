package dev.wharf.cli;

import java.util.ArrayList;
import java.util.List;

/** {@code codeartifactUrl} in gradle.properties (no token: Gradle builds read it from the environment). */
final class GradleProperties {
  static final String KEY = "codeartifactUrl";

  private GradleProperties() {}

  static String login(String existing, String endpoint) {
    List<String> out = new ArrayList<>();
    boolean written = false;
    for (String line : lines(existing)) {
      if (isOurs(line)) {
        if (!written) {
          out.add(KEY + "=" + endpoint);
          written = true;
        }
        continue;
      }
      out.add(line);
    }
    if (!written) {
      out.add(KEY + "=" + endpoint);
    }
    return text(out);
  }

  static String logout(String existing) {
    return text(lines(existing).stream().filter(line -> !isOurs(line)).toList());
  }

  private static boolean isOurs(String line) {
    String trimmed = line.strip();
    if (!trimmed.startsWith(KEY)) {
      return false;
    }
    String rest = trimmed.substring(KEY.length()).stripLeading();
    return rest.startsWith("=") || rest.startsWith(":");
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
  }

  private static String text(List<String> lines) {
    List<String> kept = new ArrayList<>(lines);
    while (!kept.isEmpty() && kept.getLast().isBlank()) {
      kept.removeLast();
    }
    return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
  }
}
