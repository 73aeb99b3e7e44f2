package dev.wharf.format.maven;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path below a Maven repository endpoint, in the Maven 2 layout:
 * {@code group/as/path/artifactId/version/file}, {@code group/artifactId/maven-metadata.xml}
 * (artifact level), {@code group/artifactId/1.0-SNAPSHOT/maven-metadata.xml} (version level), any
 * of them with a checksum suffix. Segments are percent-decoded one by one; {@code .}, {@code ..},
 * empty segments, encoded separators and characters outside a conservative set are refused, so no
 * decoded path can leave the layout.
 */
sealed interface MavenPath {
  String METADATA = "maven-metadata.xml";
  String SNAPSHOT = "-SNAPSHOT";
  /** A timestamped SNAPSHOT build as Maven deploys it: {@code 20261125.212000-3}. */
  Pattern BUILD = Pattern.compile("(\\d{8}\\.\\d{6})-(\\d{1,9})");
  Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_~+\\-][A-Za-z0-9._~+\\-]{0,254}");

  /** The checksum, if the request is for one, of the file or metadata it names. */
  MavenChecksum checksum();

  /** {@code group/artifactId/maven-metadata.xml}. */
  record ArtifactMetadata(String groupId, String artifactId, MavenChecksum checksum) implements MavenPath {}

  /** {@code group/artifactId/X-SNAPSHOT/maven-metadata.xml}. */
  record VersionMetadata(String groupId, String artifactId, String version, MavenChecksum checksum) implements MavenPath {}

  /**
   * A file of a version. {@code build} is the part of the name after {@code artifactId-}
   * that names the build: the version itself, or for a timestamped SNAPSHOT {@code 1.0-20261125.212000-3};
   * {@code suffix} is what follows it ({@code .jar}, {@code -sources.jar}, {@code .pom.asc}).
   */
  record File(String groupId, String artifactId, String version, String fileName, String build, String suffix,
      MavenChecksum checksum) implements MavenPath {
    boolean snapshot() {
      return version.endsWith(SNAPSHOT);
    }

    /** The timestamped build number, or 0 for a non-timestamped file. */
    int buildNumber() {
      return build.equals(version) ? 0 : Integer.parseInt(build.substring(build.lastIndexOf('-') + 1));
    }
  }

  static MavenPath parse(String rawRest) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawRest.split("/", -1)) {
      String segment = PathEncoding.percentDecode(raw);
      if (segment.equals(".") || segment.equals("..")) {
        throw invalid("Path segments '.' and '..' are not allowed");
      }
      if (!SEGMENT.matcher(segment).matches()) {
        throw invalid("Invalid path segment '" + printable(segment) + "': not in the Maven repository layout");
      }
      segments.add(segment);
    }
    int n = segments.size();
    String last = segments.get(n - 1);
    MavenChecksum checksum = MavenChecksum.ofFileName(last);
    String name = checksum == null ? last : last.substring(0, last.length() - checksum.suffix().length());
    if (MavenChecksum.ofFileName(name) != null) {
      throw invalid("A checksum of a checksum is not in the Maven repository layout");
    }
    if (name.equals(METADATA)) {
      if (n >= 4 && segments.get(n - 2).endsWith(SNAPSHOT)) {
        return new VersionMetadata(group(segments, n - 3), segments.get(n - 3), segments.get(n - 2), checksum);
      }
      if (n >= 3) {
        return new ArtifactMetadata(group(segments, n - 2), segments.get(n - 2), checksum);
      }
      throw invalid("maven-metadata.xml belongs below groupId/artifactId/");
    }
    if (n < 4) {
      throw invalid("A file belongs at groupId/artifactId/version/file (the Maven 2 layout)");
    }
    return file(group(segments, n - 3), segments.get(n - 3), segments.get(n - 2), name, checksum);
  }

  /** A file name of a version, checked against the layout: {@code artifactId-build[-classifier].extension}. */
  static File file(String groupId, String artifactId, String version, String name, MavenChecksum checksum) {
    String prefix = artifactId + "-";
    if (!name.startsWith(prefix)) {
      throw outside(name, artifactId, version);
    }
    String afterArtifact = name.substring(prefix.length());
    String build = null;
    if (afterArtifact.startsWith(version)) {
      build = version;
    } else if (version.endsWith(SNAPSHOT)) {
      String base = version.substring(0, version.length() - SNAPSHOT.length()) + "-";
      if (afterArtifact.startsWith(base)) {
        Matcher m = BUILD.matcher(afterArtifact);
        if (m.region(base.length(), afterArtifact.length()).lookingAt()) {
          build = afterArtifact.substring(0, m.end());
        }
      }
    }
    if (build == null) {
      throw outside(name, artifactId, version);
    }
    String suffix = afterArtifact.substring(build.length());
    if (suffix.length() < 2 || (suffix.charAt(0) != '.' && suffix.charAt(0) != '-') || suffix.endsWith(".")
        || (suffix.charAt(0) == '-' && (suffix.indexOf('.') < 2))) {
      throw outside(name, artifactId, version);
    }
    return new File(groupId, artifactId, version, name, build, suffix, checksum);
  }

  private static String group(List<String> segments, int end) {
    return String.join(".", segments.subList(0, end));
  }

  private static WharfException outside(String name, String artifactId, String version) {
    return invalid("File " + name + " is not a file of " + artifactId + " " + version
        + " (expected " + artifactId + "-" + version + "[-classifier].extension)");
  }

  private static WharfException invalid(String message) {
    return new WharfException.Invalid(message);
  }

  private static String printable(String segment) {
    String shown = segment.length() > 80 ? segment.substring(0, 80) + "…" : segment;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
