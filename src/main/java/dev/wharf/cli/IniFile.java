package dev.wharf.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An INI file (pip.conf, .pypirc) edited line by line, so that comments, order and the settings of
 * others survive: only the entries set or removed change. Reads what Python's configparser reads:
 * {@code key = value} or {@code key: value}, values continued on indented lines, # and ; comments.
 */
final class IniFile {
  private final List<String> lines;

  private IniFile(List<String> lines) {
    this.lines = lines;
  }

  static IniFile parse(String text) {
    return new IniFile(new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1))));
  }

  /** An entry: its key line, the index after its last continuation line, and its value lines. */
  record Entry(int keyLine, int end, String firstLineValue, List<String> continuation) {
    /** The values a list-valued entry holds (index-servers), one per word. */
    List<String> words() {
      List<String> words = new ArrayList<>();
      for (String part : (firstLineValue + "\n" + String.join("\n", continuation)).split("\\s+")) {
        if (!part.isEmpty()) {
          words.add(part);
        }
      }
      return words;
    }
  }

  private record Section(int header, int end) {}

  private static boolean isHeader(String line) {
    String trimmed = line.strip();
    return trimmed.startsWith("[") && trimmed.endsWith("]");
  }

  private static boolean isComment(String line) {
    String trimmed = line.strip();
    return trimmed.startsWith("#") || trimmed.startsWith(";");
  }

  private static String headerName(String line) {
    String trimmed = line.strip();
    return trimmed.substring(1, trimmed.length() - 1).strip();
  }

  private Optional<Section> section(String name) {
    for (int i = 0; i < lines.size(); i++) {
      if (isHeader(lines.get(i)) && headerName(lines.get(i)).equals(name)) {
        int end = i + 1;
        while (end < lines.size() && !isHeader(lines.get(end))) {
          end++;
        }
        return Optional.of(new Section(i, end));
      }
    }
    return Optional.empty();
  }

  boolean hasSection(String name) {
    return section(name).isPresent();
  }

  private static int delimiter(String line) {
    int equals = line.indexOf('=');
    int colon = line.indexOf(':');
    if (equals < 0) {
      return colon;
    }
    return colon < 0 ? equals : Math.min(equals, colon);
  }

  private static String normalizeKey(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The entry for key in section; keys compare as configparser and pip compare them (case, _ or -). */
  Optional<Entry> entry(String sectionName, String key) {
    Optional<Section> section = section(sectionName);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    for (int i = section.get().header() + 1; i < section.get().end(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || isComment(line) || Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      int delimiter = delimiter(line);
      String lineKey = delimiter < 0 ? line : line.substring(0, delimiter);
      if (!normalizeKey(lineKey).equals(normalizeKey(key))) {
        continue;
      }
      int end = i + 1;
      List<String> continuation = new ArrayList<>();
      while (end < section.get().end() && !lines.get(end).isBlank() && Character.isWhitespace(lines.get(end).charAt(0))) {
        continuation.add(lines.get(end).strip());
        end++;
      }
      return Optional.of(new Entry(i, end, delimiter < 0 ? "" : line.substring(delimiter + 1).strip(), continuation));
    }
    return Optional.empty();
  }

  Optional<String> value(String section, String key) {
    return entry(section, key).map(e -> e.continuation().isEmpty() ? e.firstLineValue()
        : (e.firstLineValue() + "\n" + String.join("\n", e.continuation())).strip());
  }

  /** Sets a one-line value, in place when the key exists, else at the end of the section (created if absent). */
  void set(String section, String key, String value) {
    setLines(section, key, List.of(key + " = " + value));
  }

  /** Sets a list value written as configparser writes it: the key alone, then one indented value a line. */
  void setList(String section, String key, List<String> values) {
    List<String> rendered = new ArrayList<>();
    rendered.add(key + " =");
    values.forEach(value -> rendered.add("    " + value));
    setLines(section, key, rendered);
  }

  /** Inserts one value at the end of a list entry, keeping its other lines as they are. */
  void appendToList(String section, String key, String value) {
    Entry entry = entry(section, key).orElseThrow();
    if (entry.firstLineValue().isEmpty() && !entry.continuation().isEmpty()) {
      String last = lines.get(entry.end() - 1);
      String indent = last.substring(0, last.length() - last.stripLeading().length());
      lines.add(entry.end(), indent + value);
    } else {
      List<String> values = new ArrayList<>(entry.words());
      values.add(value);
      setList(section, key, values);
    }
  }

  /** Removes one value from a list entry; its other lines stay as they are. */
  void removeFromList(String section, String key, String value) {
    Entry entry = entry(section, key).orElseThrow();
    for (int i = entry.keyLine() + 1; i < entry.end(); i++) {
      if (lines.get(i).strip().equals(value)) {
        lines.remove(i);
        return;
      }
    }
    List<String> values = new ArrayList<>(entry.words());
    values.remove(value);
    setList(section, key, values);
  }

  private void setLines(String sectionName, String key, List<String> rendered) {
    Optional<Entry> existing = entry(sectionName, key);
    if (existing.isPresent()) {
      for (int i = existing.get().end() - 1; i >= existing.get().keyLine(); i--) {
        lines.remove(i);
      }
      lines.addAll(existing.get().keyLine(), rendered);
      return;
    }
    Optional<Section> section = section(sectionName);
    if (section.isEmpty()) {
      trimTrailingBlankLines();
      if (!lines.isEmpty()) {
        lines.add("");
      }
      lines.add("[" + sectionName + "]");
      lines.addAll(rendered);
      return;
    }
    int insertAt = section.get().end();
    while (insertAt > section.get().header() + 1 && lines.get(insertAt - 1).isBlank()) {
      insertAt--;
    }
    lines.addAll(insertAt, rendered);
  }

  /** Removes an entry; an emptied section goes too. Returns whether the entry was there. */
  boolean remove(String sectionName, String key) {
    Optional<Entry> existing = entry(sectionName, key);
    if (existing.isEmpty()) {
      return false;
    }
    for (int i = existing.get().end() - 1; i >= existing.get().keyLine(); i--) {
      lines.remove(i);
    }
    Section section = section(sectionName).orElseThrow();
    if (lines.subList(section.header() + 1, section.end()).stream().allMatch(String::isBlank)) {
      removeSection(sectionName);
    }
    return true;
  }

  /** Removes a section with its entries and the blank lines after it. */
  boolean removeSection(String sectionName) {
    Optional<Section> section = section(sectionName);
    if (section.isEmpty()) {
      return false;
    }
    // The blank lines before the next header go with it; the one before it now separates what follows.
    int start = section.get().header();
    int end = section.get().end();
    lines.subList(start, end).clear();
    trimTrailingBlankLines();
    return true;
  }

  private void trimTrailingBlankLines() {
    while (!lines.isEmpty() && lines.getLast().isBlank()) {
      lines.removeLast();
    }
  }

  boolean isBlank() {
    return lines.stream().allMatch(String::isBlank);
  }

  /** The text, ending with one newline. */
  String text() {
    trimTrailingBlankLines();
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }
}
