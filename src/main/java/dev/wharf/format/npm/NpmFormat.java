package dev.wharf.format.npm;

import static dev.wharf.format.PackageRoute.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.AcceptHeader;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.FormatErrors;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.PackageFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.RepositoryPath;
import dev.wharf.identity.Principal;
import dev.wharf.packages.PackageAsset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The npm registry protocol under {@code /{domain}-{owner}/npm/{repo}/}: packuments (full and
 * abbreviated), tarballs, publish, dist-tags, deprecate, ping, whoami, refused unpublish and the
 * audit endpoints' "nothing to report". Each route declares what it needs; the handlers parse, call
 * {@link NpmRegistry} and render. Errors are npm JSON ({@code {"error": "..."}}).
 *
 * <p>Reads are authorized on the repository, so a package that does not exist answers exactly like
 * one the caller may not see would, both decided before any lookup.
 */
public final class NpmFormat implements PackageFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ABBREVIATED = "application/vnd.npm.install-v1+json";
  static final String UNPUBLISH_REFUSED = "Unpublish is not supported by this repository (as in AWS CodeArtifact):"
      + " use 'aws codeartifact delete-package-versions' (or update-package-versions-status) instead";
  private static final Function<String, NpmRequestPath> PARSER = NpmRequestPath::parse;

  private final NpmRegistry registry;
  private final FormatContext context;

  public NpmFormat(FormatContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.registry = new NpmRegistry(context.packages(), context.publishing(), context.upstreams(), context.maxAssetBytes());
  }

  @Override
  public String name() {
    return NpmRegistry.FORMAT;
  }

  @Override
  public ErrorBody errorBody() {
    return ErrorBody.JSON;
  }

  @Override
  public String credentialHint() {
    return "Authentication required: this repository needs an authorization token (npm _authToken)";
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
        PackageRoute.get("ping", ping, Need.read(), (call, request) -> send(call.exchange(), 200, "{}")),
        PackageRoute.get("whoami", whoami, Need.read(), (call, request) -> send(call.exchange(), 200,
            JSON.createObjectNode().put("username", username(call.token().principal())).toString())),
        // Security advisories are not served: an empty answer means "nothing known", and installs go on.
        PackageRoute.of("POST", "audit", audit, Need.read(), (call, request) -> send(call.exchange(), 200, "{}")),
        PackageRoute.get("dist-tags", tagList, Need.read(), this::distTags),
        PackageRoute.of("PUT", "set dist-tag", tag, Need.putMetadata(t -> ref(t.name())), this::putDistTag),
        PackageRoute.of("DELETE", "remove dist-tag", tag, Need.putMetadata(t -> ref(t.name())), this::deleteDistTag),
        PackageRoute.get("packument", packument, Need.read(), this::packument),
        PackageRoute.of("PUT", "publish or deprecate", packument,
            Need.decidedByBody("the body publishes a version or changes versions' metadata (deprecate)",
                p -> Optional.of(ref(p.name())), PackageAction.PUBLISH, PackageAction.PUT_METADATA),
            this::put),
        PackageRoute.of("DELETE", "unpublish (refused)", packument, Need.read(), NpmFormat::refuseUnpublish),
        PackageRoute.get("tarball", tarball, Need.read(), this::tarball),
        new PackageRoute<>("unpublish a tarball (refused)", java.util.Set.of("PUT", "DELETE"), tarball, Need.read(),
            NpmFormat::refuseUnpublish),
        new PackageRoute<>("unpublish a revision (refused)", java.util.Set.of("GET", "HEAD", "PUT", "DELETE"),
            revision, Need.read(), NpmFormat::refuseUnpublish));
  }

  private static PackageRef ref(NpmPackageName name) {
    return new PackageRef(name.namespace(), name.name());
  }

  private static NpmRegistry.Location location(PackageCall call) {
    RepositoryPath path = call.repository();
    return new NpmRegistry.Location(path.domainOwner(), path.domainName(), path.repository());
  }

  private void distTags(PackageCall call, NpmRequestPath.DistTags tags) {
    ObjectNode out = JSON.createObjectNode();
    registry.distTags(location(call), tags.name()).forEach(out::put);
    send(call.exchange(), 200, out.toString());
  }

  private void putDistTag(PackageCall call, NpmRequestPath.DistTags tags) {
    registry.putDistTag(location(call), tags.name(), tags.tag(), distTagVersion(call.exchange()));
    send(call.exchange(), 201, JSON.createObjectNode().put("ok", true).toString());
  }

  private void deleteDistTag(PackageCall call, NpmRequestPath.DistTags tags) {
    registry.deleteDistTag(location(call), tags.name(), tags.tag());
    send(call.exchange(), 200, JSON.createObjectNode().put("ok", true).toString());
  }

  private void packument(PackageCall call, NpmRequestPath.Packument packument) {
    Exchange exchange = call.exchange();
    boolean abbreviated = wantsAbbreviated(exchange.header("Accept"));
    String body = registry.packument(location(call), packument.name(), call.endpoint(), abbreviated)
        .orElseThrow(() -> NpmRegistry.notFound(packument.name()));
    exchange.setHeader("Vary", "Accept");
    exchange.setHeader("Cache-Control", "no-cache");
    exchange.send(200, abbreviated ? ABBREVIATED + "; charset=utf-8" : "application/json; charset=utf-8", body);
  }

  private void tarball(PackageCall call, NpmRequestPath.Tarball tarball) {
    PackageAsset asset = registry.tarball(location(call), tarball.name(), tarball.fileName())
        .orElseThrow(() -> NpmRegistry.notFound(tarball.name()));
    context.downloads().send(call.exchange(), asset, "application/octet-stream");
  }

  private void put(PackageCall call, NpmRequestPath.Packument packument) {
    NpmPackageName name = packument.name();
    Exchange exchange = call.exchange();
    long declared = exchange.contentLength();
    if (declared > NpmPublishParser.bodyLimit(registry.maxTarballBytes())) {
      throw new WharfException.TooLarge("The publish request (" + declared + " bytes) exceeds the limit for a "
          + registry.maxTarballBytes() + "-byte tarball");
    }
    try {
      Files.createDirectories(context.temporaryDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (NpmRegistry.PutRequest request = registry.readPut(location(call), name, exchange.bodyStream(),
        context.temporaryDirectory())) {
      switch (request) {
        case NpmRegistry.PutRequest.Publish publish -> {
          call.authorize(PackageAction.PUBLISH, ref(name));
          registry.publish(location(call), publish);
          send(exchange, 201, JSON.createObjectNode().put("ok", true).put("id", name.full())
              .put("version", publish.version()).toString());
        }
        case NpmRegistry.PutRequest.Deprecate deprecate -> {
          call.authorize(PackageAction.PUT_METADATA, ref(name));
          registry.deprecate(location(call), deprecate);
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
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new WharfException.Invalid("The dist-tag body must be a JSON string naming a version");
    }
    if (node == null || !node.isTextual()) {
      throw new WharfException.Invalid("The dist-tag body must be a JSON string naming a version");
    }
    return node.asText();
  }

  static boolean wantsAbbreviated(String accept) {
    return AcceptHeader.parse(accept).accepts(ABBREVIATED);
  }

  static String username(Principal principal) {
    return switch (principal) {
      case Principal.Root root -> "root";
      case Principal.User user -> user.userName();
      case Principal.AssumedRole role -> role.roleName() + "/" + role.sessionName();
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
