package dev.wharf.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatErrors;
import dev.wharf.format.PackageCredentials;
import dev.wharf.format.RepositoryAuthorizer;
import dev.wharf.format.RepositoryPath;
import dev.wharf.identity.Principal;
import dev.wharf.packages.PackageAsset;
import dev.wharf.token.AuthorizationToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The npm registry protocol under {@code /{domain}-{owner}/npm/{repo}/}: packuments (full and
 * abbreviated), tarballs, publish, dist-tags, deprecate, ping, whoami, refused unpublish and the
 * audit endpoints' "nothing to report". Thin: parse, authorize with the token, call
 * {@link NpmRegistry}, render; errors are npm JSON ({@code {"error": "..."}}).
 *
 * <p>Every request is authenticated before anything about the repository's content is said, and a
 * package that does not exist answers exactly like one that the caller may not see would after
 * authorization (reads are authorized on the repository, so both are decided before any lookup).
 */
public final class NpmEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(NpmEndpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String READ = RepositoryAuthorizer.READ;
  static final String PUBLISH = RepositoryAuthorizer.PUBLISH;
  static final String PUT_METADATA = RepositoryAuthorizer.PUT_METADATA;
  static final String ABBREVIATED = "application/vnd.npm.install-v1+json";
  static final String UNPUBLISH_REFUSED = "Unpublish is not supported by this repository (as in AWS CodeArtifact):"
      + " use 'aws codeartifact delete-package-versions' (or update-package-versions-status) instead";

  private final RepositoryAuthorizer authorizer;
  private final Unavailable unavailable;
  private final NpmRegistry registry;
  private final Optional<String> publicUrl;
  private final Path temporaryDirectory;

  /**
   * @param publicUrl the base URL clients reach the server at when a proxy fronts it; else each
   *     request's own origin is used for tarball URLs
   * @param temporaryDirectory where publish bodies are decoded before they are checked and stored
   */
  public NpmEndpoints(RepositoryAuthorizer authorizer, Unavailable unavailable, NpmRegistry registry,
      Optional<String> publicUrl, Path temporaryDirectory) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.temporaryDirectory = Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
  }

  /** A request below the repository root. */
  public void handle(Exchange exchange, RepositoryPath path) {
    try {
      String token = PackageCredentials.token(exchange.header("Authorization")).orElse(null);
      if (token == null) {
        throw new WharfException.NotAuthenticated(null,
            "Authentication required: this repository needs an authorization token (npm _authToken)");
      }
      route(exchange, path, token, NpmRequestPath.parse(path.rest()));
    } catch (RuntimeException e) {
      FormatErrors.answer("npm", LOG, exchange, e, unavailable, (ex, status, message) -> {
        if (status == 405) {
          ex.setHeader("Allow", "GET, HEAD, PUT");
        }
        send(ex, status, error(message));
      });
    }
  }

  private void route(Exchange exchange, RepositoryPath path, String token, NpmRequestPath request) {
    NpmRegistry.Location location = new NpmRegistry.Location(path.domainOwner(), path.domainName(), path.repository());
    String method = exchange.method();
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    switch (request) {
      case NpmRequestPath.Ping ping -> {
        requireRead(exchange, path, token);
        send(exchange, 200, "{}");
      }
      case NpmRequestPath.Whoami whoami -> {
        AuthorizationToken allowed = requireRead(exchange, path, token);
        send(exchange, 200, JSON.createObjectNode().put("username", username(allowed.principal())).toString());
      }
      case NpmRequestPath.Audit audit -> {
        requireRead(exchange, path, token);
        if (!"POST".equals(method)) {
          throw methodNotAllowed(method);
        }
        // Security advisories are not served: an empty answer means "nothing known", and installs go on.
        send(exchange, 200, "{}");
      }
      case NpmRequestPath.DistTags tags -> {
        if (read && tags.tag() == null) {
          requireRead(exchange, path, token);
          ObjectNode out = JSON.createObjectNode();
          registry.distTags(location, tags.name()).forEach(out::put);
          send(exchange, 200, out.toString());
        } else if (tags.tag() != null && "PUT".equals(method)) {
          requireOnPackage(exchange, path, token, PUT_METADATA, tags.name());
          registry.putDistTag(location, tags.name(), tags.tag(), distTagVersion(exchange));
          send(exchange, 201, JSON.createObjectNode().put("ok", true).toString());
        } else if (tags.tag() != null && "DELETE".equals(method)) {
          requireOnPackage(exchange, path, token, PUT_METADATA, tags.name());
          registry.deleteDistTag(location, tags.name(), tags.tag());
          send(exchange, 200, JSON.createObjectNode().put("ok", true).toString());
        } else {
          requireRead(exchange, path, token);
          throw methodNotAllowed(method);
        }
      }
      case NpmRequestPath.Packument packument -> {
        if (read) {
          requireRead(exchange, path, token);
          boolean abbreviated = wantsAbbreviated(exchange.header("Accept"));
          String body = registry.packument(location, packument.name(), registryUrl(exchange, path), abbreviated)
              .orElseThrow(() -> NpmRegistry.notFound(packument.name()));
          exchange.setHeader("Vary", "Accept");
          exchange.setHeader("Cache-Control", "no-cache");
          exchange.send(200, abbreviated ? ABBREVIATED + "; charset=utf-8" : "application/json; charset=utf-8", body);
        } else if ("PUT".equals(method)) {
          put(exchange, path, token, location, packument.name());
        } else if ("DELETE".equals(method)) {
          requireRead(exchange, path, token);
          throw unpublishRefused();
        } else {
          requireRead(exchange, path, token);
          throw methodNotAllowed(method);
        }
      }
      case NpmRequestPath.Tarball tarball -> {
        if (!read) {
          requireRead(exchange, path, token);
          throw "DELETE".equals(method) || "PUT".equals(method) ? unpublishRefused() : methodNotAllowed(method);
        }
        requireRead(exchange, path, token);
        PackageAsset asset = registry.tarball(location, tarball.name(), tarball.fileName())
            .orElseThrow(() -> NpmRegistry.notFound(tarball.name()));
        InputStream content = registry.open(asset).orElseThrow(() -> {
          LOG.error("blob {} of {} is missing", asset.sha256(), tarball.name().full());
          return new WharfException.NotFound(null, "Not found: " + tarball.name().full());
        });
        exchange.setHeader("ETag", "\"" + asset.sha256() + "\"");
        exchange.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        try {
          exchange.stream(200, "application/octet-stream", asset.size(), content);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case NpmRequestPath.Revision revision -> {
        requireRead(exchange, path, token);
        throw unpublishRefused();
      }
      case NpmRequestPath.Unknown unknown -> {
        requireRead(exchange, path, token);
        throw new WharfException.NotFound(null, "Not found");
      }
    }
  }

  private void put(Exchange exchange, RepositoryPath path, String token, NpmRegistry.Location location,
      NpmPackageName name) {
    String packageArn = packageArn(path, name);
    // Which action the body needs (publish or metadata) depends on the body: one that neither is allowed
    // is refused before it is read (401, 403 or 404, audited), so no token of the domain can make the
    // server parse and spool a large body for nothing.
    if (!authorizer.mayAnyOf(exchange, path, token, packageArn, PUBLISH, PUT_METADATA)) {
      requireOnPackage(exchange, path, token, PUBLISH, name);
    }
    long declared = exchange.contentLength();
    if (declared > NpmPublishParser.bodyLimit(registry.maxTarballBytes())) {
      throw new WharfException.TooLarge("The publish request (" + declared + " bytes) exceeds the limit for a "
          + registry.maxTarballBytes() + "-byte tarball");
    }
    try {
      Files.createDirectories(temporaryDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (NpmRegistry.PutRequest request = registry.readPut(location, name, exchange.bodyStream(), temporaryDirectory)) {
      switch (request) {
        case NpmRegistry.PutRequest.Publish publish -> {
          requireOnPackage(exchange, path, token, PUBLISH, name);
          registry.publish(location, publish);
          send(exchange, 201, JSON.createObjectNode().put("ok", true).put("id", name.full())
              .put("version", publish.version()).toString());
        }
        case NpmRegistry.PutRequest.Deprecate deprecate -> {
          requireOnPackage(exchange, path, token, PUT_METADATA, name);
          registry.deprecate(location, deprecate);
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
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String[] pieces = part.trim().split(";");
      if (pieces[0].trim().equalsIgnoreCase(ABBREVIATED)) {
        for (int i = 1; i < pieces.length; i++) {
          String parameter = pieces[i].trim().replace(" ", "");
          if (parameter.equals("q=0") || parameter.matches("q=0\\.0*")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** The repository endpoint as the client reaches it (or the public URL), ending in '/'. */
  private String registryUrl(Exchange exchange, RepositoryPath path) {
    return path.endpoint(publicUrl.orElseGet(exchange::origin));
  }

  private String packageArn(RepositoryPath path, NpmPackageName name) {
    return CodeArtifactArns.packageArn(authorizer.region(), path.domainOwner(), path.domainName(), path.repository(),
        NpmRegistry.FORMAT, name.namespace(), name.name());
  }

  private AuthorizationToken requireRead(Exchange exchange, RepositoryPath path, String token) {
    return authorizer.require(exchange, path, token, READ, null);
  }

  private AuthorizationToken requireOnPackage(Exchange exchange, RepositoryPath path, String token, String action,
      NpmPackageName name) {
    return authorizer.require(exchange, path, token, action, packageArn(path, name));
  }

  static String username(Principal principal) {
    return switch (principal) {
      case Principal.Root root -> "root";
      case Principal.User user -> user.userName();
      case Principal.AssumedRole role -> role.roleName() + "/" + role.sessionName();
    };
  }

  /** 405s travel as Invalid with this code (the error hierarchy has no "method" kind). */
  private static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";

  private static WharfException unpublishRefused() {
    return new WharfException.Invalid(METHOD_NOT_ALLOWED, UNPUBLISH_REFUSED);
  }

  private static WharfException methodNotAllowed(String method) {
    return new WharfException.Invalid(METHOD_NOT_ALLOWED, "Method " + method + " is not allowed here");
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("error", message).toString();
  }

  private static void send(Exchange exchange, int status, String json) {
    exchange.send(status, "application/json; charset=utf-8", json);
  }
}
