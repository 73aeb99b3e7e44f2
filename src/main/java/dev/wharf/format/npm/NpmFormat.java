package dev.wharf.format.npm;

import static dev.wharf.format.PackageRoute.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.ShellWords;
import dev.wharf.format.AcceptHeader;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.FormatErrors;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.RequestJson;
import dev.wharf.format.StoredNames;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.identity.Principal;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The npm registry protocol under {@code /{domain}-{owner}/npm/{repo}/}: packuments (full and
 * abbreviated), tarballs, publish, dist-tags, deprecate, ping, whoami, refused unpublish and the
 * audit endpoints' "nothing to report". Each route declares what it needs; the handlers parse, call
 * {@link NpmRegistry} and render. Errors are npm JSON ({@code {"error": "..."}}).
 *
 * <p>Reads are authorized on the repository, so a package that does not exist answers exactly like
 * one the caller may not see would, both decided before any lookup.
 */
public final class NpmFormat extends RegistryFormat<NpmRegistry> {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ABBREVIATED = "application/vnd.npm.install-v1+json";
  static final String UNPUBLISH_REFUSED = "Unpublish is not supported by this repository (as in AWS CodeArtifact):"
      + " use 'aws codeartifact delete-package-versions' (or update-package-versions-status) instead";
  private static final PathParser<NpmRequestPath> PARSER = PathParser.of(NpmRequestPath::parse);

  public NpmFormat(FormatContext context) {
    super(SPEC, context, NpmRegistry::new);
  }

  public static final Spec SPEC = new Spec(NpmRegistry.FORMAT, Namespaces.OPTIONAL, ErrorBody.JSON,
      "Authentication required: this repository needs an authorization token (npm _authToken)",
      List.of("public:npmjs"), new StoredNames(NpmFormat::withoutAt, UnaryOperator.identity()));

  /** A scope is stored without its {@code @} (as CodeArtifact names it in the API). */
  private static String withoutAt(String scope) {
    return scope.startsWith("@") ? scope.substring(1) : scope;
  }

  @Override
  public String displayName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : "@" + namespace + "/" + name;
  }

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("npm install " + ShellWords.quote(displayName(namespace, name) + "@" + version));
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    java.net.URI uri = java.net.URI.create(target.endpoint());
    String npmrc = "registry=" + target.endpoint() + "\n//" + uri.getRawAuthority() + uri.getRawPath()
        + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n";
    return List.of(
        new ToolSetup("npm", List.of(target.wharfLogin("npm"), target.awsLogin("npm")),
            List.of(new ToolSetup.ConfigFile("~/.npmrc (after: " + target.tokenCommand() + ")", npmrc))),
        new ToolSetup("pnpm", List.of(target.wharfLogin("pnpm")), List.of(new ToolSetup.ConfigFile("~/.npmrc", npmrc))),
        new ToolSetup("yarn", List.of(target.wharfLogin("yarn")), List.of(new ToolSetup.ConfigFile(
            ".yarnrc.yml (yarn 2 and later)", "npmRegistryServer: \"" + target.endpoint()
            + "\"\nnpmAlwaysAuth: true\nnpmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN}\"\n"))));
  }

  @Override
  public void requireCreatable(String namespace, String name) {
    if (namespace != null && namespace.startsWith("@")) {
      throw new WharfException.Invalid("ValidationException", "The namespace of an npm package is its scope"
          + " without the @: use " + namespace.substring(1) + ", not " + namespace);
    }
  }

  /** The default display version is the one the {@code latest} dist-tag names. */
  @Override
  public Optional<String> displayVersionTag() {
    return Optional.of("latest");
  }

  @Override
  public Optional<ExternalFormat> external() {
    return Optional.of(new NpmExternalFormat());
  }

  /** Read from the version's manifest. */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument manifest = new VersionDocument(version);
    PackageKey key = version.key();
    List<VersionDescription.License> licenses = new ArrayList<>();
    addLicense(licenses, manifest.path("license"));
    manifest.path("licenses").forEach(node -> addLicense(licenses, node));
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    addDependencies(dependencies, manifest.path("dependencies"), "regular");
    addDependencies(dependencies, manifest.path("devDependencies"), "dev");
    addDependencies(dependencies, manifest.path("peerDependencies"), "peer");
    addDependencies(dependencies, manifest.path("optionalDependencies"), "optional");
    return new VersionDescription(key.namespace().isEmpty() ? key.name() : "@" + key.namespace() + "/" + key.name(),
        manifest.summary("description"), manifest.text("homepage"), VersionDocument.urlOf(manifest.path("repository")),
        licenses, manifest.text("readme"), dependencies);
  }

  private static void addLicense(List<VersionDescription.License> licenses, JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank()) {
      licenses.add(new VersionDescription.License(node.asText(), null));
    } else if (node.isObject() && node.path("type").isTextual()) {
      licenses.add(new VersionDescription.License(node.path("type").asText(),
          node.path("url").isTextual() ? node.path("url").asText() : null));
    }
  }

  private static void addDependencies(List<VersionDescription.Dependency> into, JsonNode map, String type) {
    map.properties().forEach(entry -> {
      String name = entry.getKey();
      String namespace = null;
      if (name.startsWith("@") && name.indexOf('/') > 1) {
        namespace = name.substring(1, name.indexOf('/'));
        name = name.substring(name.indexOf('/') + 1);
      }
      into.add(new VersionDescription.Dependency(namespace, name, type,
          entry.getValue().isTextual() ? entry.getValue().asText() : null));
    });
  }

  @Override
  public List<PackageRoute<?>> routes() {
    var ping = when(PARSER, NpmRequestPath.Ping.class);
    var whoami = when(PARSER, NpmRequestPath.Whoami.class);
    var audit = when(PARSER, NpmRequestPath.Audit.class);
    var tagList = when(PARSER, NpmRequestPath.DistTags.class).andThen(t -> t.filter(tags -> tags.tag() == null));
    var tag = when(PARSER, NpmRequestPath.DistTags.class).andThen(t -> t.filter(tags -> tags.tag() != null));
    var packument = when(PARSER, NpmRequestPath.Packument.class);
    var tarball = when(PARSER, NpmRequestPath.Tarball.class);
    var revision = when(PARSER, NpmRequestPath.Revision.class);
    return List.of(
        PackageRoute.get("ping", "-/ping", ping, Need.read(), (call, request) -> send(call.exchange(), 200, "{}")),
        PackageRoute.get("whoami", "-/whoami", whoami, Need.read(), (call, request) -> send(call.exchange(), 200,
            JSON.createObjectNode().put("username", username(call.token().principal())).toString())),
        // Security advisories are not served: an empty answer means "nothing known", and installs go on.
        PackageRoute.of("POST", "audit", "-/npm/v1/security/advisories/bulk", audit, Need.read(), (call, request) -> send(call.exchange(), 200, "{}")),
        PackageRoute.get("dist-tags", "-/package/@scope%2fpkg/dist-tags", tagList, Need.read(), this::distTags),
        PackageRoute.of("PUT", "set dist-tag", "-/package/pkg/dist-tags/beta", tag, Need.putMetadata(t -> ref(t.name())), this::putDistTag),
        PackageRoute.of("DELETE", "remove dist-tag", "-/package/pkg/dist-tags/beta", tag, Need.putMetadata(t -> ref(t.name())), this::deleteDistTag),
        PackageRoute.get("packument", "@scope%2fpkg", packument, Need.read(), this::packument),
        PackageRoute.of("PUT", "publish or deprecate", "pkg", packument,
            Need.decidedByBody("the body publishes a version or changes versions' metadata (deprecate)",
                p -> Optional.of(ref(p.name())), PackageAction.PUBLISH, PackageAction.PUT_METADATA),
            this::put),
        PackageRoute.of("DELETE", "unpublish (refused)", "pkg", packument, Need.read(), NpmFormat::refuseUnpublish),
        PackageRoute.get("tarball", "pkg/-/pkg-1.0.0.tgz", tarball, Need.read(), this::tarball),
        new PackageRoute<>("unpublish a tarball (refused)", java.util.Set.of("PUT", "DELETE"),
            "pkg/-/pkg-1.0.0.tgz", tarball, Need.read(),
            NpmFormat::refuseUnpublish),
        new PackageRoute<>("unpublish a revision (refused)", java.util.Set.of("GET", "HEAD", "PUT", "DELETE"),
            "pkg/-rev/3-abc", revision, Need.read(), NpmFormat::refuseUnpublish));
  }

  private static PackageRef ref(NpmPackageName name) {
    return new PackageRef(name.namespace(), name.name());
  }

  private void distTags(PackageCall call, NpmRequestPath.DistTags tags) {
    ObjectNode out = JSON.createObjectNode();
    registry.distTags(call.location(), tags.name()).forEach(out::put);
    send(call.exchange(), 200, out.toString());
  }

  private void putDistTag(PackageCall call, NpmRequestPath.DistTags tags) {
    registry.putDistTag(call.location(), tags.name(), tags.tag(), distTagVersion(call.exchange()));
    send(call.exchange(), 201, JSON.createObjectNode().put("ok", true).toString());
  }

  private void deleteDistTag(PackageCall call, NpmRequestPath.DistTags tags) {
    registry.deleteDistTag(call.location(), tags.name(), tags.tag());
    send(call.exchange(), 200, JSON.createObjectNode().put("ok", true).toString());
  }

  private void packument(PackageCall call, NpmRequestPath.Packument packument) {
    Exchange exchange = call.exchange();
    boolean abbreviated = wantsAbbreviated(exchange.header("Accept"));
    RenderedMetadata body = registry.packument(call.location(), packument.name(), call.endpoint(), abbreviated)
        .orElseThrow(() -> NpmRegistry.notFound(packument.name()));
    exchange.setHeader("Vary", "Accept");
    body.send(exchange, abbreviated ? ABBREVIATED + "; charset=utf-8" : "application/json; charset=utf-8");
  }

  private void tarball(PackageCall call, NpmRequestPath.Tarball tarball) {
    PackageAsset asset = registry.tarball(call.location(), tarball.name(), tarball.fileName())
        .orElseThrow(() -> NpmRegistry.notFound(tarball.name()));
    context.downloads().send(call.exchange(), asset, "application/octet-stream");
  }

  private void put(PackageCall call, NpmRequestPath.Packument packument) {
    NpmPackageName name = packument.name();
    Exchange exchange = call.exchange();
    long declared = exchange.contentLength();
    if (declared > NpmPublishParser.bodyLimit(context.maxAssetBytes())) {
      throw new WharfException.TooLarge("The publish request (" + declared + " bytes) exceeds the limit for a "
          + context.maxAssetBytes() + "-byte tarball");
    }
    try (NpmRegistry.PutRequest request = registry.readPut(call.location(), name, exchange.bodyStream(),
        context.spoolDirectory())) {
      switch (request) {
        case NpmRegistry.PutRequest.Publish publish -> {
          call.authorize(PackageAction.PUBLISH, ref(name));
          registry.publish(call.location(), publish);
          send(exchange, 201, JSON.createObjectNode().put("ok", true).put("id", name.full())
              .put("version", publish.version()).toString());
        }
        case NpmRegistry.PutRequest.Deprecate deprecate -> {
          call.authorize(PackageAction.PUT_METADATA, ref(name));
          registry.deprecate(call.location(), deprecate);
          send(exchange, 200, JSON.createObjectNode().put("ok", true).put("id", name.full()).toString());
        }
      }
    }
  }

  /** The body of a dist-tag PUT: a JSON string naming the version. */
  private static String distTagVersion(Exchange exchange) {
    byte[] body;
    try {
      body = exchange.readBody(4096);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String notAVersion = "The dist-tag body must be a JSON string naming a version";
    return RequestJson.read(JSON, body, JsonNode::isTextual, notAVersion, notAVersion).asText();
  }

  static boolean wantsAbbreviated(String accept) {
    return AcceptHeader.parse(accept).accepts(ABBREVIATED);
  }

  static String username(Principal principal) {
    return switch (principal) {
      case Principal.Root root -> "root";
      case Principal.User user -> user.userName();
      case Principal.AssumedRole role -> role.roleName() + "/" + role.sessionName();
      case Principal.FederatedUser federated -> federated.name();
    };
  }

  private static void refuseUnpublish(PackageCall call, Object request) {
    call.exchange().setHeader("Allow", "GET, HEAD, PUT");
    throw new WharfException.Invalid(FormatErrors.METHOD_NOT_ALLOWED, UNPUBLISH_REFUSED);
  }

  private static void send(Exchange exchange, int status, String json) {
    exchange.send(status, "application/json; charset=utf-8", json);
  }
}
