package dev.wharf.format.maven;

import static dev.wharf.format.PackageRoute.when;

import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.Need;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Maven 2 repository layout under {@code /{domain}-{owner}/maven/{repo}/}, as Maven and
 * Gradle use it: GET / HEAD / PUT of files, checksums and {@code maven-metadata.xml}. Reads need
 * ReadFromRepository, uploads PublishPackageVersion on the package the path names. Errors are plain
 * text, which Maven shows in its transfer errors; 401 carries the Basic challenge Maven and Gradle
 * wait for before sending credentials.
 */
public final class MavenFormat extends RegistryFormat<MavenRegistry> {
  /** Uploaded maven-metadata.xml files are read (up to this size) and discarded. */
  static final int MAX_METADATA_BYTES = 1024 * 1024;
  static final int MAX_CHECKSUM_BYTES = 1024;
  private static final PathParser<MavenPath> PARSER = PathParser.of(MavenPath::parse);
  private static final Function<String, Optional<MavenPath>> ANY = rest -> Optional.of(PARSER.parse(rest));

  public MavenFormat(FormatContext context) {
    super(SPEC, context, MavenRegistry::new);
  }

  public static final Spec SPEC = new Spec(MavenRegistry.FORMAT, Namespaces.REQUIRED, ErrorBody.PLAIN_TEXT,
      Spec.BASIC_AWS_HINT, List.of("public:maven-central", "public:maven-googleandroid", "public:maven-gradleplugins",
          "public:maven-commonsware", "public:maven-clojars"));

  @Override
  public String displayName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + ":" + name;
  }

  /** The POM's dependency element (its texts escaped as XML). */
  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("<dependency>\n  <groupId>" + xml(namespace) + "</groupId>\n  <artifactId>" + xml(name)
        + "</artifactId>\n  <version>" + xml(version) + "</version>\n</dependency>");
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    String endpoint = target.endpoint();
    return List.of(
        new ToolSetup("mvn", List.of(target.wharfLogin("maven")), List.of(
            new ToolSetup.ConfigFile("~/.m2/settings.xml (after: " + target.tokenCommand() + ")", "<settings>\n"
                + "  <servers>\n    <server>\n      <id>codeartifact</id>\n      <username>aws</username>\n"
                + "      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n    </server>\n  </servers>\n"
                + "  <mirrors>\n    <mirror>\n      <id>codeartifact</id>\n      <mirrorOf>*</mirrorOf>\n"
                + "      <url>" + endpoint + "</url>\n    </mirror>\n  </mirrors>\n</settings>\n"),
            new ToolSetup.ConfigFile("pom.xml (to deploy)", "<distributionManagement>\n  <repository>\n"
                + "    <id>codeartifact</id>\n    <name>codeartifact</name>\n    <url>" + endpoint + "</url>\n"
                + "  </repository>\n</distributionManagement>\n"))),
        new ToolSetup("gradle", List.of(target.wharfLogin("gradle")), List.of(new ToolSetup.ConfigFile("build.gradle",
            "repositories {\n  maven {\n    url '" + endpoint + "'\n    credentials {\n      username \"aws\"\n"
                + "      password System.env.CODEARTIFACT_AUTH_TOKEN\n    }\n  }\n}\n"))));
  }

  private static String xml(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&apos;");
  }

  @Override
  public Optional<ExternalFormat> external() {
    return Optional.of(new MavenExternalFormat(context.clock()));
  }

  /** Read from the shape taken from the POM. */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument pom = new VersionDocument(version);
    List<VersionDescription.License> licenses = new ArrayList<>();
    pom.path("licenses").forEach(node -> {
      String name = node.path("name").isTextual() ? node.path("name").asText() : null;
      String url = node.path("url").isTextual() ? node.path("url").asText() : null;
      if (name != null || url != null) {
        licenses.add(new VersionDescription.License(name, url));
      }
    });
    return new VersionDescription(version.key().name(), pom.summary("description"), pom.text("url"),
        VersionDocument.urlOf(pom.path("scm")), licenses, pom.text("description"), pom.listedDependencies());
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(
        PackageRoute.get("file, checksum or metadata", "com/example/lib/1.0/lib-1.0.jar", ANY, Need.read(), this::get),
        PackageRoute.of("PUT", "artifact metadata upload", "com/example/lib/maven-metadata.xml", when(PARSER, MavenPath.ArtifactMetadata.class),
            Need.publish(m -> ref(m.groupId(), m.artifactId())), this::putArtifactMetadata),
        PackageRoute.of("PUT", "version metadata upload", "com/example/lib/1.0-SNAPSHOT/maven-metadata.xml",
            when(PARSER, MavenPath.VersionMetadata.class),
            Need.publish(m -> ref(m.groupId(), m.artifactId())), (call, metadata) -> {
              read(call.exchange(), MAX_METADATA_BYTES);
              text(call.exchange(), 201,
                  "Accepted: maven-metadata.xml is maintained by the repository from the builds it holds");
            }),
        PackageRoute.of("PUT", "file or checksum upload", "com/example/lib/1.0/lib-1.0.jar", when(PARSER, MavenPath.File.class),
            Need.publish(f -> ref(f.groupId(), f.artifactId())), this::putFile));
  }

  private static PackageRef ref(String groupId, String artifactId) {
    return new PackageRef(groupId, artifactId);
  }

  private void get(PackageCall call, MavenPath request) {
    Exchange exchange = call.exchange();
    RepositoryLocation location = call.location();
    switch (request) {
      case MavenPath.ArtifactMetadata metadata -> sendMetadata(exchange, metadata.checksum(),
          registry.artifactMetadata(location, metadata).orElseThrow(() -> notFound(metadata.groupId() + ":"
              + metadata.artifactId())));
      case MavenPath.VersionMetadata metadata -> sendMetadata(exchange, metadata.checksum(),
          registry.versionMetadata(location, metadata).map(xml -> RenderedMetadata.of(xml, null))
              .orElseThrow(() -> notFound(metadata.groupId() + ":" + metadata.artifactId() + ":" + metadata.version())));
      case MavenPath.File file -> {
        PackageAsset asset = registry.file(location, file).orElseThrow(() -> notFound(file.fileName()));
        if (file.checksum() != null) {
          text(exchange, 200, file.checksum().of(asset));
          return;
        }
        context.downloads().send(exchange, asset, contentType(file.fileName()),
            Map.of("X-Checksum-Sha1", asset.sha1(), "X-Checksum-Md5", asset.md5()));
      }
    }
  }

  private static void sendMetadata(Exchange exchange, MavenChecksum checksum, RenderedMetadata xml) {
    if (checksum != null) {
      exchange.setHeader("Cache-Control", "no-cache");
      text(exchange, 200, checksum.of(xml.body()));
    } else {
      xml.send(exchange, "application/xml");
    }
  }

  private void putArtifactMetadata(PackageCall call, MavenPath.ArtifactMetadata metadata) {
    byte[] body = read(call.exchange(), MAX_METADATA_BYTES);
    if (metadata.checksum() == null) {
      registry.metadataUploaded(call.location(), metadata, body);
    }
    text(call.exchange(), 201, "Accepted: maven-metadata.xml is maintained by the repository from the versions it"
        + " holds");
  }

  private void putFile(PackageCall call, MavenPath.File file) {
    Exchange exchange = call.exchange();
    if (file.checksum() != null) {
      registry.verifyChecksum(call.location(), file, read(exchange, MAX_CHECKSUM_BYTES));
      text(exchange, 201, "Checksum verified");
      return;
    }
    long declared = exchange.contentLength();
    if (declared > context.maxAssetBytes()) {
      throw new WharfException.TooLarge("The file (" + declared + " bytes) exceeds the limit of "
          + context.maxAssetBytes() + " bytes");
    }
    MavenRegistry.PutOutcome outcome = registry.put(call.location(), file, exchange.bodyStream());
    if (outcome == MavenRegistry.PutOutcome.CREATED) {
      text(exchange, 201, "Created");
    } else {
      text(exchange, 200, "OK: the identical file was already there");
    }
  }

  private static byte[] read(Exchange exchange, int limit) {
    try {
      return exchange.readBody(limit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contentType(String fileName) {
    if (fileName.endsWith(".pom") || fileName.endsWith(".xml")) {
      return "application/xml";
    }
    if (fileName.endsWith(".jar")) {
      return "application/java-archive";
    }
    if (fileName.endsWith(".module")) {
      return "application/json";
    }
    if (fileName.endsWith(".asc")) {
      return "application/pgp-signature";
    }
    return "application/octet-stream";
  }

  private static WharfException notFound(String what) {
    return new WharfException.NotFound(null, "Not found: " + what);
  }

  private static void text(Exchange exchange, int status, String message) {
    exchange.send(status, "text/plain; charset=utf-8", message + "\n");
  }
}
