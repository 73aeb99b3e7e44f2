package dev.wharf.format;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.external.ExternalFormat;
import java.util.List;
import java.util.Optional;

/**
 * Everything one package format knows, in one place: its name and naming rules, the routes of its
 * package endpoint (each declaring what it needs), how its clients read a failure, what the API
 * shows of its versions, and how it reads a public registry. The formats are registered once, in
 * {@link FormatRegistry}; nothing else lists or switches on them.
 */
public interface PackageFormat {
  /** Whether the format's packages have a namespace. */
  enum Namespaces {
    /** Every package has one (Maven's groupId, Swift's scope, generic). */
    REQUIRED,
    /** No package has one (PyPI, NuGet, RubyGems, Cargo). */
    NONE,
    /** A package may have one (npm's scope, named without its {@code @}). */
    OPTIONAL
  }

  /**
   * The facts a format states once.
   *
   * @param name the format's name in CodeArtifact's API and in endpoint paths ({@code npm}, ...)
   * @param errorBody the body of a failure, as this format's clients read it
   * @param credentialHint what a request without credentials is told: how the clients send the token
   * @param externalConnections CodeArtifact's external connection names of this format
   * @param storedNames how the format stores a namespace and a name written in any spelling (what a package group
   *     pattern is read with)
   */
  record Spec(String name, Namespaces namespaces, ErrorBody errorBody, String credentialHint,
      List<String> externalConnections, StoredNames storedNames) {
    /** How pip, twine, Maven and Gradle are told to send the token. */
    public static final String BASIC_AWS_HINT =
        "Authentication required: use user 'aws' and an authorization token as the password";
    /** How clients of formats without a client convention of their own are told. */
    public static final String ANY_SCHEME_HINT =
        "Authentication required: send an authorization token as Bearer or as Basic aws:<token>";

    public Spec {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(namespaces, "namespaces");
      java.util.Objects.requireNonNull(errorBody, "errorBody");
      java.util.Objects.requireNonNull(credentialHint, "credentialHint");
      externalConnections = List.copyOf(externalConnections);
      java.util.Objects.requireNonNull(storedNames, "storedNames");
    }

    /** The facts of a format that stores namespaces and names as written. */
    public Spec(String name, Namespaces namespaces, ErrorBody errorBody, String credentialHint,
        List<String> externalConnections) {
      this(name, namespaces, errorBody, credentialHint, externalConnections, StoredNames.AS_WRITTEN);
    }
  }

  Spec spec();

  /** The format's name in CodeArtifact's API and in endpoint paths. */
  default String name() {
    return spec().name();
  }

  /** A package's name as its clients write it ({@code namespace/name}, or the name alone by default). */
  default String displayName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /**
   * The line that installs a version with this format's client, to be pasted into a shell (or a build
   * file), every name in it quoted for where it goes ({@link ShellWords}); empty when the format has no
   * client of its own.
   */
  default Optional<String> installLine(String namespace, String name, String version) {
    return Optional.empty();
  }

  /** How each of this format's clients is set up for a repository; empty when the format has no client of its own. */
  default List<ToolSetup> toolSetups(ToolSetup.Target target) {
    return List.of();
  }

  /**
   * The routes below {@code /{domain}-{owner}/{format}/{repo}/}, tried in order. The repository
   * endpoint itself ({@code GET} of the empty path) is answered for every format and need not be
   * declared; a format may declare other methods on it (PyPI's upload).
   */
  List<PackageRoute<?>> routes();

  /**
   * The checks a package's identity passes before the API creates it (PutPackageOriginConfiguration
   * on a package that does not exist yet), so that no package is made that no client can ever
   * publish to or read. The default checks the namespace rule; formats add their own name rules.
   *
   * @param namespace null or empty when none was given
   * @throws WharfException.Invalid as a ValidationException naming the rule
   */
  default void requireCreatable(String namespace, String name) {
    boolean hasNamespace = namespace != null && !namespace.isEmpty();
    switch (spec().namespaces()) {
      case REQUIRED -> {
        if (!hasNamespace) {
          throw new WharfException.Invalid("ValidationException", "A namespace is required for " + name()
              + " packages");
        }
      }
      case NONE -> {
        if (hasNamespace) {
          throw new WharfException.Invalid("ValidationException", name() + " packages do not have a namespace");
        }
      }
      case OPTIONAL -> { }
    }
  }

  /**
   * Checks a version published with the API's PublishPackageVersion, which only generic packages
   * are (as in CodeArtifact); every other format is published by its own client.
   *
   * @throws WharfException.Invalid as a ValidationException
   */
  default void requirePublishableWithApi(String namespace, String name, String version, String assetName) {
    throw new WharfException.Invalid("ValidationException", "Only generic packages can be published with"
        + " PublishPackageVersion; publish " + name() + " packages with their own client");
  }

  /** What the API shows of a version. The default reads only what every format stores. */
  default VersionDescription describe(PackageVersion version) {
    VersionDocument document = new VersionDocument(version);
    return new VersionDescription(version.key().name(), document.summary(null), null, null, List.of(), null,
        document.listedDependencies());
  }

  /**
   * The tag that names a package's default display version (npm's {@code latest}); empty when the
   * newest published version is it.
   */
  default Optional<String> displayVersionTag() {
    return Optional.empty();
  }

  /**
   * Whether the format's clients send the token alone as the whole {@code Authorization} value, with
   * no scheme (cargo's credential providers); every format takes {@code Bearer} and Basic {@code aws:}.
   */
  default boolean acceptsBareToken() {
    return false;
  }

  /**
   * A header the format's clients may send the token in, alone, when no {@code Authorization} carries
   * it (NuGet's {@code X-NuGet-ApiKey} on a push); empty when there is none.
   */
  default Optional<String> apiKeyHeader() {
    return Optional.empty();
  }

  /**
   * The Basic user names whose password is the token: {@code aws} for every format (CodeArtifact's
   * convention); a format adds the one its login writes (Swift's netrc entry says {@code login token}).
   * Any other user is refused, so a credential meant for another service is never taken for a token.
   */
  default java.util.Set<String> basicUsers() {
    return java.util.Set.of("aws");
  }

  /**
   * How the CodeArtifact API reads the namespace and name members of a request for this format: as written by
   * default (PyPI's guide: the normalized name must be used in API requests), as stored where CodeArtifact
   * documents that it normalizes those inputs (NuGet's and Swift's guides: {@code --package Newtonsoft.JSON} is
   * {@code newtonsoft.json}).
   */
  default StoredNames apiNames() {
    return StoredNames.AS_WRITTEN;
  }

  /**
   * How the CodeArtifact API reads a package version member (a single version or one of a list) for this format:
   * as written by default; as stored where CodeArtifact documents that it normalizes those inputs (NuGet's guide:
   * {@code --version 12.0.03.0} is {@code 12.0.3}). A text the format would not store as a version is left as
   * written, so the lookup answers ResourceNotFound as for any other version that does not exist.
   */
  default String apiVersion(String written) {
    return written;
  }

  /** How the format reads a public registry behind an external connection; empty when it cannot. */
  default Optional<ExternalFormat> external() {
    return Optional.empty();
  }

}
