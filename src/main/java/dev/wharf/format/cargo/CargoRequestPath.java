package dev.wharf.format.cargo;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;
import java.util.Optional;

/**
 * What a request below a Cargo repository endpoint addresses. The endpoint is the sparse index
 * ({@code config.json} and the index files, {@code 1/a} ... {@code ab/cd/abcd}) and the root of the
 * registry's web API ({@code api/v1/crates/...}), which is also where crates are downloaded.
 */
sealed interface CargoRequestPath {
  String API = "api/v1/crates";

  /** Neither the index nor the API. */
  record Other() implements CargoRequestPath {}

  /** {@code config.json}. */
  record Config() implements CargoRequestPath {}

  /** An index file: the crate it lists, as spelled in the path. */
  record IndexFile(String name) implements CargoRequestPath {}

  /** {@code api/v1/crates/new}: cargo publish. */
  record Publish() implements CargoRequestPath {}

  /** {@code api/v1/crates}: cargo search (the query is in the query string). */
  record Search() implements CargoRequestPath {}

  /** {@code api/v1/crates/{name}/{version}/download}. */
  record Download(String name, String version) implements CargoRequestPath {}

  /** {@code api/v1/crates/{name}/{version}/yank} (DELETE) and {@code .../unyank} (PUT). */
  record Yank(String name, String version, boolean yanked) implements CargoRequestPath {}

  /** {@code api/v1/crates/{name}/owners}: cargo owner. */
  record Owners(String name) implements CargoRequestPath {}

  static CargoRequestPath parse(String rest) {
    if (rest.equals("config.json")) {
      return new Config();
    }
    if (rest.equals(API + "/new")) {
      return new Publish();
    }
    if (rest.equals(API)) {
      return new Search();
    }
    if (rest.startsWith(API + "/")) {
      String[] parts = rest.substring(API.length() + 1).split("/", -1);
      if (parts.length == 2 && parts[1].equals("owners")) {
        return new Owners(name(parts[0]));
      }
      if (parts.length == 3) {
        String name = name(parts[0]);
        String version = PathEncoding.percentDecode(parts[1]);
        if (!CargoNames.validVersion(version)) {
          throw new WharfException.NotFound(null, "Not found: no version '" + version + "' of crate " + name);
        }
        switch (parts[2]) {
          case "download" -> {
            return new Download(name, version);
          }
          case "yank" -> {
            return new Yank(name, version, true);
          }
          case "unyank" -> {
            return new Yank(name, version, false);
          }
          default -> { }
        }
      }
      return new Other();
    }
    Optional<String> crate = CargoNames.fromIndexPath(rest);
    return crate.<CargoRequestPath>map(IndexFile::new).orElseGet(Other::new);
  }

  private static String name(String segment) {
    String name = PathEncoding.percentDecode(segment);
    if (!CargoNames.validName(name)) {
      throw new WharfException.NotFound(null, "Not found: '" + name + "' is not a crate name");
    }
    return name;
  }
}
