package dev.wharf.format;

/** Words of a command line meant to be pasted into a POSIX shell: names and versions a publisher chose, quoted. */
public final class ShellWords {
  private ShellWords() {}

  /** The word as it is when it holds only characters no shell treats specially, else in single quotes. */
  public static String quote(String word) {
    if (word.matches("[A-Za-z0-9@%+=:,./_-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
