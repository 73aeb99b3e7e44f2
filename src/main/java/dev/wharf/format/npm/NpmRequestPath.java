package dev.wharf.format.npm;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;
import java.util.Arrays;
import java.util.List;

/**
 * What an npm request below the repository endpoint addresses, parsed from the raw path. Scoped
 * names arrive as {@code @scope%2fname}, {@code @scope%2Fname} or {@code @scope/name}; the path is
 * percent-decoded once, here, and "." or ".." segments (plain or encoded) are refused.
 */
sealed interface NpmRequestPath {
  record Ping() implements NpmRequestPath {}

  record Whoami() implements NpmRequestPath {}

  /** npm audit's bulk advisory and quick audit endpoints. */
  record Audit() implements NpmRequestPath {}

  /** {@code -/package/{name}/dist-tags[/{tag}]}; tag is null for the list. */
  record DistTags(NpmPackageName name, String tag) implements NpmRequestPath {}

  record Packument(NpmPackageName name) implements NpmRequestPath {}

  record Tarball(NpmPackageName name, String fileName) implements NpmRequestPath {}

  /** {@code {name}/-rev/{rev}} and {@code {name}/-/{file}/-rev/{rev}}: unpublish. */
  record Revision(NpmPackageName name) implements NpmRequestPath {}

  record Unknown() implements NpmRequestPath {}

  static NpmRequestPath parse(String rawRest) {
    String decoded = PathEncoding.percentDecode(rawRest);
    List<String> segments = Arrays.asList(decoded.split("/", -1));
    for (String segment : segments) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new WharfException.Invalid("Invalid path: '.' and '..' segments are not allowed");
      }
      if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
        throw new WharfException.Invalid("Invalid path: control characters and backslashes are not allowed");
      }
    }
    if (segments.get(0).equals("-")) {
      List<String> rest = segments.subList(1, segments.size());
      if (rest.equals(List.of("ping"))) {
        return new Ping();
      }
      if (rest.equals(List.of("whoami"))) {
        return new Whoami();
      }
      if (rest.size() == 5 && rest.subList(0, 3).equals(List.of("npm", "v1", "security"))
          && (rest.subList(3, 5).equals(List.of("advisories", "bulk")) || rest.subList(3, 5).equals(List.of("audits", "quick"))
              || rest.subList(3, 5).equals(List.of("audits", "")))) {
        return new Audit();
      }
      if (rest.size() == 4 && rest.subList(0, 3).equals(List.of("npm", "v1", "security")) && rest.get(3).equals("audits")) {
        return new Audit();
      }
      if (rest.size() >= 3 && rest.get(0).equals("package")) {
        int nameLength = rest.get(1).startsWith("@") ? 2 : 1;
        List<String> tail = rest.subList(Math.min(rest.size(), 1 + nameLength), rest.size());
        if (rest.size() > 1 + nameLength && !tail.isEmpty() && tail.get(0).equals("dist-tags")) {
          NpmPackageName name = NpmPackageName.parse(String.join("/", rest.subList(1, 1 + nameLength)));
          if (tail.size() == 1) {
            return new DistTags(name, null);
          }
          if (tail.size() == 2 && !tail.get(1).isEmpty()) {
            return new DistTags(name, tail.get(1));
          }
        }
      }
      return new Unknown();
    }
    int nameLength = segments.get(0).startsWith("@") ? 2 : 1;
    if (segments.size() < nameLength) {
      throw new WharfException.Invalid("Invalid package name \"" + decoded + "\": a scoped name must be @scope/name");
    }
    NpmPackageName name = NpmPackageName.parse(String.join("/", segments.subList(0, nameLength)));
    List<String> tail = segments.subList(nameLength, segments.size());
    if (tail.isEmpty()) {
      return new Packument(name);
    }
    if (tail.size() == 2 && tail.get(0).equals("-") && !tail.get(1).isEmpty()) {
      return new Tarball(name, tail.get(1));
    }
    if ((tail.size() == 2 && tail.get(0).equals("-rev"))
        || (tail.size() == 4 && tail.get(0).equals("-") && tail.get(2).equals("-rev"))) {
      return new Revision(name);
    }
    return new Unknown();
  }
}
