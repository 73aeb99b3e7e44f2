package dev.wharf.format.ruby;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;

/**
 * What a request below a RubyGems repository endpoint addresses: the compact index
 * ({@code versions}, {@code names}, {@code info/NAME}), gem files ({@code gems/NAME-VERSION.gem}),
 * marshalled specifications ({@code quick/Marshal.4.8/NAME-VERSION.gemspec.rz}) and the push and yank
 * API ({@code api/v1/gems}, {@code api/v1/gems/yank}).
 */
sealed interface RubyRequestPath {
  record Other() implements RubyRequestPath {}

  record Versions() implements RubyRequestPath {}

  record Names() implements RubyRequestPath {}

  record Info(String name) implements RubyRequestPath {}

  /** A gem file or a marshalled specification: the file name, and {@code NAME-VERSION[-PLATFORM]}. */
  record File(String fileName, String fullName) implements RubyRequestPath {}

  record Push() implements RubyRequestPath {}

  record Yank() implements RubyRequestPath {}

  String QUICK = "quick/Marshal.4.8/";

  static RubyRequestPath parse(String path) {
    // gem push and yank join their --host, which ends in '/', and "/api/v1/gems"
    String rest = path.startsWith("/api/") ? path.substring(1) : path;
    switch (rest) {
      case "versions" -> {
        return new Versions();
      }
      case "names" -> {
        return new Names();
      }
      case "api/v1/gems" -> {
        return new Push();
      }
      case "api/v1/gems/yank" -> {
        return new Yank();
      }
      default -> { }
    }
    if (rest.startsWith("info/")) {
      String name = PathEncoding.percentDecode(rest.substring("info/".length()));
      if (!RubyNames.validName(name)) {
        throw new WharfException.NotFound(null, "Not found: '" + name + "' is not a gem name");
      }
      return new Info(name);
    }
    if (rest.startsWith("gems/") && rest.endsWith(RubyRegistry.GEM_SUFFIX)) {
      return file(PathEncoding.percentDecode(rest.substring("gems/".length())), RubyRegistry.GEM_SUFFIX);
    }
    if (rest.startsWith(QUICK) && rest.endsWith(RubyRegistry.SPEC_SUFFIX)) {
      return file(PathEncoding.percentDecode(rest.substring(QUICK.length())), RubyRegistry.SPEC_SUFFIX);
    }
    return new Other();
  }

  private static RubyRequestPath file(String fileName, String suffix) {
    String full = fileName.substring(0, fileName.length() - suffix.length());
    if (full.isEmpty() || full.contains("/") || !full.matches("[A-Za-z0-9._-]+")) {
      throw new WharfException.NotFound(null, "Not found: " + fileName);
    }
    return new File(fileName, full);
  }
}
