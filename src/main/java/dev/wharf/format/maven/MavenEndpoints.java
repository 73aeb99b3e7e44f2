package dev.wharf.format.maven;

import dev.wharf.api.http.Exchange;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatErrors;
import dev.wharf.format.PackageCredentials;
import dev.wharf.format.RepositoryAuthorizer;
import dev.wharf.format.RepositoryPath;
import dev.wharf.packages.PackageAsset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Maven 2 repository layout under {@code /{domain}-{owner}/maven/{repo}/}, as Maven and
 * Gradle use it: GET / HEAD / PUT of files, checksums and {@code maven-metadata.xml}. Thin: parse,
 * authorize with the token (Basic {@code aws:<token>} or Bearer; reads need ReadFromRepository,
 * uploads PublishPackageVersion on the package), call {@link MavenRegistry}, render. Errors are
 * plain text, which Maven shows in its transfer errors; 401 carries the Basic challenge Maven and
 * Gradle wait for before sending credentials.
 */
public final class MavenEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(MavenEndpoints.class);
  static final String READ = RepositoryAuthorizer.READ;
  static final String PUBLISH = RepositoryAuthorizer.PUBLISH;
  /** Uploaded maven-metadata.xml files are read (up to this size) and discarded. */
  static final int MAX_METADATA_BYTES = 1024 * 1024;
  static final int MAX_CHECKSUM_BYTES = 1024;

  private final RepositoryAuthorizer authorizer;
  private final Unavailable unavailable;
  private final MavenRegistry registry;

  public MavenEndpoints(RepositoryAuthorizer authorizer, Unavailable unavailable, MavenRegistry registry) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public void handle(Exchange exchange, RepositoryPath path) {
    try {
      String token = PackageCredentials.token(exchange.header("Authorization")).orElse(null);
      if (token == null) {
        throw new WharfException.NotAuthenticated(null,
            "Authentication required: use user 'aws' and an authorization token as the password");
      }
      MavenPath request;
      try {
        request = MavenPath.parse(path.rest());
      } catch (WharfException.Invalid invalid) {
        requireRead(exchange, path, token); // say nothing before the token is checked
        throw invalid;
      }
      route(exchange, path, token, request);
    } catch (RuntimeException e) {
      if (e instanceof WharfException.TooLarge) {
        drainModerately(exchange);
      }
      FormatErrors.answer("maven", LOG, exchange, e, unavailable, (ex, status, message) -> {
        if (status == 401) {
          ex.setHeader("WWW-Authenticate", "Basic realm=\"wharf\"");
        }
        text(ex, status, message);
      });
    }
  }

  private void route(Exchange exchange, RepositoryPath path, String token, MavenPath request) {
    MavenRegistry.Location location = new MavenRegistry.Location(path.domainOwner(), path.domainName(),
        path.repository());
    String method = exchange.method();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      requireRead(exchange, path, token);
      get(exchange, location, request);
    } else if ("PUT".equals(method)) {
      put(exchange, path, token, location, request);
    } else {
      requireRead(exchange, path, token);
      exchange.setHeader("Allow", "GET, HEAD, PUT");
      throw new WharfException.Invalid("MethodNotAllowed", "Method " + method + " is not allowed here");
    }
  }

  private void get(Exchange exchange, MavenRegistry.Location location, MavenPath request) {
    switch (request) {
      case MavenPath.ArtifactMetadata metadata -> sendMetadata(exchange, metadata.checksum(),
          registry.artifactMetadata(location, metadata).orElseThrow(() -> notFound(metadata.groupId() + ":"
              + metadata.artifactId())));
      case MavenPath.VersionMetadata metadata -> sendMetadata(exchange, metadata.checksum(),
          registry.versionMetadata(location, metadata).orElseThrow(() -> notFound(metadata.groupId() + ":"
              + metadata.artifactId() + ":" + metadata.version())));
      case MavenPath.File file -> {
        PackageAsset asset = registry.file(location, file).orElseThrow(() -> notFound(file.fileName()));
        if (file.checksum() != null) {
          text(exchange, 200, file.checksum().of(asset));
          return;
        }
        InputStream content = registry.open(asset).orElseThrow(() -> {
          LOG.error("blob {} of {} is missing", asset.sha256(), file.fileName());
          return notFound(file.fileName());
        });
        exchange.setHeader("ETag", "\"" + asset.sha256() + "\"");
        exchange.setHeader("X-Checksum-Sha1", asset.sha1());
        exchange.setHeader("X-Checksum-Md5", asset.md5());
        try {
          exchange.stream(200, contentType(file.fileName()), asset.size(), content);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static void sendMetadata(Exchange exchange, MavenChecksum checksum, byte[] xml) {
    exchange.setHeader("Cache-Control", "no-cache");
    if (checksum != null) {
      text(exchange, 200, checksum.of(xml));
    } else {
      exchange.send(200, "application/xml", xml);
    }
  }

  private void put(Exchange exchange, RepositoryPath path, String token, MavenRegistry.Location location,
      MavenPath request) {
    switch (request) {
      case MavenPath.ArtifactMetadata metadata -> {
        requirePublish(exchange, path, token, metadata.groupId(), metadata.artifactId());
        byte[] body = read(exchange, MAX_METADATA_BYTES);
        if (metadata.checksum() == null) {
          registry.metadataUploaded(location, metadata, body);
        }
        text(exchange, 201, "Accepted: maven-metadata.xml is maintained by the repository from the versions it holds");
      }
      case MavenPath.VersionMetadata metadata -> {
        requirePublish(exchange, path, token, metadata.groupId(), metadata.artifactId());
        read(exchange, MAX_METADATA_BYTES);
        text(exchange, 201, "Accepted: maven-metadata.xml is maintained by the repository from the builds it holds");
      }
      case MavenPath.File file -> {
        requirePublish(exchange, path, token, file.groupId(), file.artifactId());
        if (file.checksum() != null) {
          registry.verifyChecksum(location, file, read(exchange, MAX_CHECKSUM_BYTES));
          text(exchange, 201, "Checksum verified");
          return;
        }
        long declared = exchange.contentLength();
        if (declared > registry.maxFileBytes()) {
          throw new WharfException.TooLarge("The file (" + declared + " bytes) exceeds the limit of "
              + registry.maxFileBytes() + " bytes");
        }
        MavenRegistry.PutOutcome outcome = registry.put(location, file, exchange.bodyStream());
        if (outcome == MavenRegistry.PutOutcome.CREATED) {
          text(exchange, 201, "Created");
        } else {
          text(exchange, 200, "OK: the identical file was already there");
        }
      }
    }
  }

  /** Bodies up to this size are drained before a 413 so the client, still sending, reads the answer. */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  /**
   * Discards what is left of a moderately oversized body (a client still sending may lose an early
   * answer to a connection reset); a body declared larger is not read, the connection is closed.
   */
  private static void drainModerately(Exchange exchange) {
    if (exchange.contentLength() > DRAIN_LIMIT) {
      return;
    }
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT;
    try (InputStream in = exchange.bodyStream()) {
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= read;
      }
    } catch (IOException | RuntimeException e) {
      // the answer is a 413 anyway
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

  private void requireRead(Exchange exchange, RepositoryPath path, String token) {
    authorizer.require(exchange, path, token, READ, null);
  }

  private void requirePublish(Exchange exchange, RepositoryPath path, String token, String groupId,
      String artifactId) {
    authorizer.require(exchange, path, token, PUBLISH, CodeArtifactArns.packageArn(authorizer.region(),
        path.domainOwner(), path.domainName(), path.repository(), MavenRegistry.FORMAT, groupId, artifactId));
  }

  private static void text(Exchange exchange, int status, String message) {
    exchange.send(status, "text/plain; charset=utf-8", message + "\n");
  }
}
