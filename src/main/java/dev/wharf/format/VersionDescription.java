package dev.wharf.format;

import java.util.List;

/**
 * What the CodeArtifact API shows of a package version (DescribePackageVersion,
 * GetPackageVersionReadme, ListPackageVersionDependencies), as its format reads it from the
 * version's own document. Absent facts are null or empty, never errors.
 */
public record VersionDescription(String displayName, String summary, String homePage, String sourceCodeRepository,
    List<License> licenses, String readme, List<Dependency> dependencies) {
  public VersionDescription {
    licenses = List.copyOf(licenses);
    dependencies = List.copyOf(dependencies);
  }

  public record License(String name, String url) {}

  /** A dependency as the API lists it; namespace, type and requirement may be null. */
  public record Dependency(String namespace, String name, String dependencyType, String versionRequirement) {}
}
