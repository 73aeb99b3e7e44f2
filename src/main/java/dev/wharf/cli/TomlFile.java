package dev.wharf.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A TOML configuration file (cargo's config.toml, poetry's config.toml and auth.toml) edited table by table,
 * statement by statement, so that comments, order and layout survive: TomlMapper would rewrite the whole file
 * without its comments. TomlMapper reads the file before and after an edit, and callers refuse an edit that changed
 * anything but the keys they set ({@link #requireOthersUnchanged}): a table written as a dotted key or an inline
 * table, which this editor does not rewrite, ends up there.
 */
final class TomlFile {
  static final TomlMapper TOML = new TomlMapper();
  private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  /** A file Wharf cannot edit safely (not TOML, or the tables it edits in a form this editor does not rewrite). */
  static final class InvalidTomlException extends ConfigFiles.InvalidConfigFile {
    InvalidTomlException(String message, Throwable cause) {
      super("configuration", message, cause);
    }
  }

  private enum Kind { TABLE, ARRAY_TABLE, KEY_VALUE, TRIVIA }

  /** One header, key/value (all its lines) or blank/comment line; path: the table's, or the key as written. */
  private record Statement(Kind kind, List<String> path, String text) {
    boolean isBlank() {
      return kind == Kind.TRIVIA && text.isBlank();
    }
  }

  private final List<Statement> statements;

  private TomlFile(List<Statement> statements) {
    this.statements = statements;
  }


  /** The file's content as TomlMapper reads it (an empty object for an empty file); what: "it" or "wharf's edit". */
  static JsonNode read(String text, String what, String hint) throws InvalidTomlException {
    try {
      JsonNode node = TOML.readTree(text);
      return node == null || node.isMissingNode() ? TOML.createObjectNode() : node;
    } catch (JacksonException e) {
      throw new InvalidTomlException(what + " is not valid TOML: " + e.getOriginalMessage()
          + (what.equals("it") ? "" : " (" + hint + ")"), e);
    } catch (IOException e) {
      throw new InvalidTomlException(what + " could not be read: " + e.getMessage(), e);
    }
  }

  /** Refuses an edit that changed anything but the paths (each removed with the tables it leaves empty). */
  static void requireOthersUnchanged(JsonNode before, JsonNode after, Iterable<List<String>> paths, String hint)
      throws InvalidTomlException {
    ObjectNode beforeRest = before.deepCopy();
    ObjectNode afterRest = after.deepCopy();
    for (List<String> path : paths) {
      withoutPath(beforeRest, path);
      withoutPath(afterRest, path);
    }
    if (!beforeRest.equals(afterRest)) {
      throw new InvalidTomlException("wharf's edit would change other settings (" + hint + ")", null);
    }
  }

  private static void withoutPath(ObjectNode root, List<String> path) {
    List<ObjectNode> parents = new ArrayList<>();
    ObjectNode node = root;
    for (String key : path.subList(0, path.size() - 1)) {
      parents.add(node);
      if (!(node.get(key) instanceof ObjectNode child)) {
        return;
      }
      node = child;
    }
    node.remove(path.getLast());
    for (int i = parents.size() - 1; i >= 0 && node.isEmpty(); i--) {
      parents.get(i).remove(path.get(i));
      node = parents.get(i);
    }
  }

  static String pointer(List<String> path) {
    return "/" + String.join("/", path);
  }

  // ---------------------------------------------------------------- rendering

  static String toml(JsonNode value) {
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(toml(item)));
      return "[" + String.join(", ", items) + "]";
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.asText().toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        default -> quoted.append(c < 0x20 || c == 0x7f ? "\\u%04x".formatted((int) c) : String.valueOf(c));
      }
    }
    return quoted.append('"').toString();
  }

  private static String key(List<String> path) {
    List<String> keys = new ArrayList<>();
    for (String key : path) {
      keys.add(BARE_KEY.matcher(key).matches() ? key : toml(TOML.getNodeFactory().textNode(key)));
    }
    return String.join(".", keys);
  }

  // ---------------------------------------------------------------- editing

  // ---------------------------------------------------------------- editing

  /** Sets key in [table]: in place when the table has it, else after the table's last key (the table is added if absent). */
  void set(List<String> table, String key, String value) {
    Statement line = new Statement(Kind.KEY_VALUE, List.of(key), key(List.of(key)) + " = " + value + "\n");
    int header = header(table);
    if (header < 0) {
      if (!statements.isEmpty() && !statements.getLast().isBlank()) {
        statements.add(new Statement(Kind.TRIVIA, List.of(), "\n"));
      }
      statements.add(new Statement(Kind.TABLE, table, "[" + key(table) + "]\n"));
      statements.add(line);
      return;
    }
    int existing = entry(header, key);
    if (existing >= 0) {
      statements.set(existing, line);
    } else {
      statements.add(lastKey(header) + 1, line);
    }
  }

  /** Removes key from [table]; a table left without keys or comments goes too. */
  void remove(List<String> table, String key) {
    int header = header(table);
    if (header < 0) {
      return;
    }
    int existing = entry(header, key);
    if (existing >= 0) {
      statements.remove(existing);
    }
    if (statements.subList(header + 1, sectionEnd(header)).stream().allMatch(Statement::isBlank)) {
      removeTable(table);
    }
  }

  /** Removes [table] with its keys and the blank lines after them; comments before the next header stay. */
  void removeTable(List<String> table) {
    int header = header(table);
    if (header < 0) {
      return;
    }
    int end = lastKey(header) + 1;
    while (end < statements.size() && statements.get(end).isBlank()) {
      end++;
    }
    statements.subList(header, end).clear();
  }

  private int header(List<String> table) {
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i).kind() == Kind.TABLE && statements.get(i).path().equals(table)) {
        return i;
      }
    }
    return -1;
  }

  private int sectionEnd(int header) {
    int end = header + 1;
    while (end < statements.size() && statements.get(end).kind() != Kind.TABLE
        && statements.get(end).kind() != Kind.ARRAY_TABLE) {
      end++;
    }
    return end;
  }

  private int entry(int header, String key) {
    for (int i = header + 1; i < sectionEnd(header); i++) {
      if (statements.get(i).kind() == Kind.KEY_VALUE && statements.get(i).path().equals(List.of(key))) {
        return i;
      }
    }
    return -1;
  }

  /** The last key/value of the header's table, or the header when it has none. */
  private int lastKey(int header) {
    int last = header;
    for (int i = header + 1; i < sectionEnd(header); i++) {
      if (statements.get(i).kind() == Kind.KEY_VALUE) {
        last = i;
      }
    }
    return last;
  }

  /** The text, ending with one newline (empty when nothing is left). */
  String text() {
    while (!statements.isEmpty() && statements.getLast().isBlank()) {
      statements.removeLast();
    }
    StringBuilder text = new StringBuilder();
    statements.forEach(statement -> text.append(statement.text()));
    return text.toString();
  }

  // ---------------------------------------------------------------- reading statements

  /** Splits text (already read by TomlMapper, so valid TOML) into statements. */
  static TomlFile parse(String text) throws InvalidTomlException {
    try {
      return new StatementReader(text).read();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidTomlException("wharf cannot edit it: " + e.getMessage(), e);
    }
  }

  private static final class StatementReader {
    private final String text;
    private int position;

    StatementReader(String text) {
      this.text = text;
    }

    TomlFile read() {
      List<Statement> statements = new ArrayList<>();
      while (position < text.length()) {
        int start = position;
        skipSpaces();
        Kind kind;
        List<String> path = List.of();
        if (position >= text.length() || peek() == '\n' || peek() == '\r' || peek() == '#') {
          kind = Kind.TRIVIA;
        } else if (text.startsWith("[[", position)) {
          position += 2;
          path = keyPath();
          expect("]]");
          kind = Kind.ARRAY_TABLE;
        } else if (peek() == '[') {
          position++;
          path = keyPath();
          expect("]");
          kind = Kind.TABLE;
        } else {
          path = keyPath();
          expect("=");
          skipValue();
          kind = Kind.KEY_VALUE;
        }
        int newline = text.indexOf('\n', position);
        position = newline < 0 ? text.length() : newline + 1;
        String statement = text.substring(start, position);
        statements.add(new Statement(kind, path, statement.endsWith("\n") ? statement : statement + "\n"));
      }
      return new TomlFile(statements);
    }

    private char peek() {
      return text.charAt(position);
    }

    private void skipSpaces() {
      while (position < text.length() && (peek() == ' ' || peek() == '\t')) {
        position++;
      }
    }

    private void expect(String token) {
      skipSpaces();
      if (!text.startsWith(token, position)) {
        throw new IllegalArgumentException("expected '" + token + "' at offset " + position);
      }
      position += token.length();
    }

    private List<String> keyPath() {
      List<String> keys = new ArrayList<>();
      while (true) {
        skipSpaces();
        keys.add(simpleKey());
        skipSpaces();
        if (position >= text.length() || peek() != '.') {
          return keys;
        }
        position++;
      }
    }

    private String simpleKey() {
      char first = peek();
      if (first == '"') {
        return basicString();
      }
      if (first == '\'') {
        int end = text.indexOf('\'', position + 1);
        String key = text.substring(position + 1, end);
        position = end + 1;
        return key;
      }
      int start = position;
      while (position < text.length() && BARE_KEY.matcher(String.valueOf(peek())).matches()) {
        position++;
      }
      if (start == position) {
        throw new IllegalArgumentException("expected a key at offset " + position);
      }
      return text.substring(start, position);
    }

    /** A one-line "string" with its escapes, as a key. */
    private String basicString() {
      StringBuilder value = new StringBuilder();
      position++;
      while (peek() != '"') {
        char c = peek();
        if (c == '\\') {
          char escaped = text.charAt(position + 1);
          position += 2;
          switch (escaped) {
            case 'u' -> {
              value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
              position += 4;
            }
            case 'U' -> {
              value.appendCodePoint(Integer.parseInt(text.substring(position, position + 8), 16));
              position += 8;
            }
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            default -> value.append(escaped);
          }
        } else {
          value.append(c);
          position++;
        }
      }
      position++;
      return value.toString();
    }

    /** Moves past a value: strings of the four kinds, and arrays and inline tables over several lines with comments. */
    private void skipValue() {
      skipSpaces();
      int depth = 0;
      while (position < text.length()) {
        char c = peek();
        if (text.startsWith("\"\"\"", position)) {
          position = closing("\"\"\"", position + 3, true);
        } else if (text.startsWith("'''", position)) {
          position = closing("'''", position + 3, false);
        } else if (c == '"') {
          position = closing("\"", position + 1, true);
        } else if (c == '\'') {
          position = closing("'", position + 1, false);
        } else if (c == '[' || c == '{') {
          depth++;
          position++;
        } else if (c == ']' || c == '}') {
          depth--;
          position++;
        } else if (c == '#' || c == '\n') {
          if (depth == 0) {
            return;
          }
          int newline = text.indexOf('\n', position);
          position = newline < 0 ? text.length() : newline + 1;
        } else {
          position++;
        }
      }
    }

    /** The offset after the delimiter that closes a string opened before from (a multi-line one may end in up to two extra quotes). */
    private int closing(String delimiter, int from, boolean escapes) {
      int at = from;
      while (true) {
        if (escapes && text.charAt(at) == '\\') {
          at += 2;
        } else if (text.startsWith(delimiter, at)) {
          int end = at + delimiter.length();
          while (delimiter.length() == 3 && end < text.length() && text.charAt(end) == delimiter.charAt(0)
              && end - at < 5) {
            end++;
          }
          return end;
        } else {
          at++;
        }
      }
    }
  }
}
