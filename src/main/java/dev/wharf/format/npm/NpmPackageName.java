package dev.wharf.format.npm;

import dev.wharf.error.WharfException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An npm package name, {@code name} or {@code @scope/name}, checked with the rules of
 * validate-npm-package-name that hold for every package (old ones included): no empty part, none
 * starting with "." or "_" (so no "." or ".." either), no surrounding spaces, only URL-safe
 * characters, at most 214 characters, and not "node_modules" or "favicon.ico". Upper case and
 * {@code ~'!()*}, allowed for old packages, are accepted so that existing trees can be published.
 * CodeArtifact's namespace is the scope without its {@code @}.
 */
public record NpmPackageName(String scope, String name) {
  private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9\\-_.!~*'()]+");
  private static final Set<String> BLOCKED = Set.of("node_modules", "favicon.ico");
  static final int MAX_LENGTH = 214;

  /** Parses and validates a decoded name; throws {@link WharfException.Invalid} with npm's reason. */
  public static NpmPackageName parse(String full) {
    if (full == null || full.isEmpty()) {
      throw invalid(full, "name length must be greater than zero");
    }
    if (!full.trim().equals(full)) {
      throw invalid(full, "name cannot contain leading or trailing spaces");
    }
    if (full.length() > MAX_LENGTH) {
      throw invalid(full, "name can no longer contain more than 214 characters");
    }
    String scope = null;
    String name = full;
    if (full.startsWith("@")) {
      int slash = full.indexOf('/');
      if (slash < 0 || full.indexOf('/', slash + 1) >= 0) {
        throw invalid(full, "a scoped name must be @scope/name");
      }
      scope = full.substring(1, slash);
      name = full.substring(slash + 1);
      checkPart(full, scope, "scope");
    }
    checkPart(full, name, "name");
    if (scope == null && BLOCKED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
      throw invalid(full, name + " is not a valid package name");
    }
    return new NpmPackageName(scope, name);
  }

  private static void checkPart(String full, String part, String what) {
    if (part.isEmpty()) {
      throw invalid(full, what + " length must be greater than zero");
    }
    if (part.startsWith(".")) {
      throw invalid(full, what + " cannot start with a period");
    }
    if (part.startsWith("_")) {
      throw invalid(full, what + " cannot start with an underscore");
    }
    if (!URL_SAFE.matcher(part).matches()) {
      throw invalid(full, what + " can only contain URL-friendly characters");
    }
  }

  private static WharfException.Invalid invalid(String name, String reason) {
    String shown = name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return new WharfException.Invalid("Invalid package name \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\": " + reason);
  }

  /** {@code name} or {@code @scope/name}. */
  public String full() {
    return scope == null ? name : "@" + scope + "/" + name;
  }

  /** The name as npm puts it in a URL path: {@code @scope%2fname}. */
  public String escaped() {
    return scope == null ? name : "@" + scope + "%2f" + name;
  }

  /** CodeArtifact's namespace: the scope without {@code @}, or '' when unscoped. */
  public String namespace() {
    return scope == null ? "" : scope;
  }

  /** The tarball's file name for a version: {@code name-1.0.0.tgz}, without the scope. */
  public String tarballFileName(String version) {
    return name + "-" + version + ".tgz";
  }
}
