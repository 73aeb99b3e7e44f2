package dev.wharf.format.pypi;

import dev.wharf.api.http.Exchange;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatErrors;
import dev.wharf.format.PackageCredentials;
import dev.wharf.format.PathEncoding;
import dev.wharf.format.RepositoryAuthorizer;
import dev.wharf.format.RepositoryPath;
import dev.wharf.packages.PackageAsset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.content.InputStreamContentSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyPI protocols under {@code /{domain}-{owner}/pypi/{repo}/}: the legacy upload API twine
 * uses (POST to the repository endpoint itself) and the simple repository API pip uses
 * ({@code simple/}, {@code simple/{project}/}, files and their PEP 658 {@code .metadata} below the
 * project). Wharf adds PEP 592 yanking: {@code :action=yank} / {@code unyank} posted like an upload.
 * Thin: parse, authorize with the token, call {@link PypiRegistry}, render. Errors are plain text,
 * which pip and twine show as they are.
 */
public final class PypiEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(PypiEndpoints.class);
  static final String READ = RepositoryAuthorizer.READ;
  static final String PUBLISH = RepositoryAuthorizer.PUBLISH;
  static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
  static final String HTML_TYPE = "application/vnd.pypi.simple.v1+html";
  /** Room for the form fields around the file (descriptions can be long). */
  static final long FORM_OVERHEAD = 16L * 1024 * 1024;

  private final RepositoryAuthorizer authorizer;
  private final Unavailable unavailable;
  private final PypiRegistry registry;
  private final Optional<String> publicUrl;
  private final Path temporaryDirectory;

  public PypiEndpoints(RepositoryAuthorizer authorizer, Unavailable unavailable, PypiRegistry registry,
      Optional<String> publicUrl, Path temporaryDirectory) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.temporaryDirectory = Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
  }

  /** Whether this handler takes the request: anything below the root, and POSTs to the root. */
  public static boolean handles(Exchange exchange, RepositoryPath path) {
    return !path.rest().isEmpty() || "POST".equals(exchange.method());
  }

  public void handle(Exchange exchange, RepositoryPath path) {
    try {
      String token = PackageCredentials.token(exchange.header("Authorization")).orElse(null);
      if (token == null) {
        throw new WharfException.NotAuthenticated(null,
            "Authentication required: use user 'aws' and an authorization token as the password");
      }
      route(exchange, path, token);
    } catch (RuntimeException e) {
      FormatErrors.answer("pypi", LOG, exchange, e, unavailable, (ex, status, message) -> {
        if (status == 401) {
          ex.setHeader("WWW-Authenticate", "Basic realm=\"wharf\"");
        }
        text(ex, status, message);
      });
    }
  }

  private void route(Exchange exchange, RepositoryPath path, String token) {
    PypiRegistry.Location location = new PypiRegistry.Location(path.domainOwner(), path.domainName(), path.repository());
    String method = exchange.method();
    String rest = path.rest();
    if (rest.isEmpty()) {
      upload(exchange, path, token, location);
      return;
    }
    requireRead(exchange, path, token);
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.setHeader("Allow", "GET, HEAD");
      throw new WharfException.Invalid("MethodNotAllowed", "Method " + method + " is not allowed here");
    }
    String endpoint = endpointUrl(exchange, path);
    if (rest.equals("simple")) {
      redirect(exchange, endpoint + "simple/");
      return;
    }
    if (!rest.startsWith("simple/")) {
      throw new WharfException.NotFound(null, "Not found");
    }
    String below = rest.substring("simple/".length());
    if (below.isEmpty()) {
      // Streamed from the store page by page: a repository's project list is never held whole.
      Format format = negotiate(exchange);
      exchange.stream(200, contentType(format),
          out -> registry.writeRoot(location, format == Format.JSON, endpoint + "simple/", out));
      return;
    }
    int slash = below.indexOf('/');
    String project = slash < 0 ? below : below.substring(0, slash);
    // Each segment decoded on its own: pip escapes the '+' of a local version (pkg-1.0%2Bcpu.whl), and
    // an encoded '/' stays inside its segment (no such file).
    String remainder = slash < 0 ? null : PathEncoding.percentDecode(below.substring(slash + 1));
    project = PathEncoding.percentDecode(project);
    if (!PypiNames.validProject(project)) {
      throw new WharfException.NotFound(null, "Not found: " + project);
    }
    String normalized = PypiNames.normalize(project);
    if (remainder == null || (remainder.isEmpty() && !normalized.equals(project))) {
      redirect(exchange, endpoint + "simple/" + normalized + "/");
      return;
    }
    if (remainder.isEmpty()) {
      Format format = negotiate(exchange);
      byte[] page = registry.projectPage(location, normalized, endpoint + "simple/" + normalized + "/",
          format == Format.JSON).orElseThrow(() -> new WharfException.NotFound(null, "No project named " + normalized));
      exchange.send(200, contentType(format), page);
      return;
    }
    download(exchange, location, normalized, remainder);
  }

  private void download(Exchange exchange, PypiRegistry.Location location, String project, String fileName) {
    if (fileName.contains("/")) {
      throw new WharfException.NotFound(null, "Not found");
    }
    PackageAsset asset = registry.file(location, project, fileName)
        .orElseThrow(() -> new WharfException.NotFound(null, "Not found: " + fileName));
    InputStream content = registry.open(asset).orElseThrow(() -> {
      LOG.error("blob {} of {} is missing", asset.sha256(), fileName);
      return new WharfException.NotFound(null, "Not found: " + fileName);
    });
    exchange.setHeader("ETag", "\"" + asset.sha256() + "\"");
    exchange.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    try {
      exchange.stream(200, fileName.endsWith(PypiRegistry.METADATA_SUFFIX) ? "text/plain; charset=utf-8"
          : "application/octet-stream", asset.size(), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  enum Format {
    JSON,
    HTML_V1,
    HTML
  }

  /** Chooses the answer's format from Accept (406 when none is served) and sets the caching headers. */
  private static Format negotiate(Exchange exchange) {
    Format format = chooseFormat(exchange.header("Accept"));
    exchange.setHeader("Vary", "Accept");
    exchange.setHeader("Cache-Control", "max-age=0, must-revalidate");
    if (format == null) {
      throw new WharfException.Invalid("NotAcceptable", "None of the Accept types is served: use " + JSON_TYPE
          + ", " + HTML_TYPE + " or text/html");
    }
    return format;
  }

  private static String contentType(Format format) {
    return switch (format) {
      case JSON -> JSON_TYPE;
      case HTML_V1 -> HTML_TYPE + "; charset=utf-8";
      case HTML -> "text/html; charset=utf-8";
    };
  }

  /** PEP 691 negotiation by q-value; null when nothing acceptable (406). No header means HTML. */
  static Format chooseFormat(String accept) {
    if (accept == null || accept.isBlank()) {
      return Format.HTML;
    }
    Format best = null;
    double bestQ = 0;
    for (String part : accept.split(",")) {
      String[] pieces = part.trim().split(";");
      String type = pieces[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim().replace(" ", "");
        if (parameter.startsWith("q=")) {
          try {
            q = Double.parseDouble(parameter.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      Format format = switch (type) {
        case JSON_TYPE, "application/vnd.pypi.simple.latest+json" -> Format.JSON;
        case HTML_TYPE, "application/vnd.pypi.simple.latest+html" -> Format.HTML_V1;
        case "text/html", "text/*", "*/*" -> Format.HTML;
        default -> null;
      };
      if (format != null && q > bestQ) {
        best = format;
        bestQ = q;
      }
    }
    return best;
  }

  private void upload(Exchange exchange, RepositoryPath path, String token, PypiRegistry.Location location) {
    if (!"POST".equals(exchange.method())) {
      requireRead(exchange, path, token);
      throw new WharfException.NotFound(null, "Not found");
    }
    // Authenticate before reading a body; the package is known only from the body.
    if (!authorizer.authenticates(exchange, path, token, PUBLISH, null)) {
      requireRead(exchange, path, token); // audits and answers 401
    }
    String contentType = exchange.header("Content-Type");
    String boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || boundary == null) {
      throw new WharfException.Invalid("An upload must be multipart/form-data");
    }
    long declared = exchange.contentLength();
    long limit = registry.maxFileBytes() + FORM_OVERHEAD;
    if (declared > limit) {
      throw new WharfException.TooLarge("The upload (" + declared + " bytes) exceeds the limit for a "
          + registry.maxFileBytes() + "-byte file");
    }
    try {
      Files.createDirectories(temporaryDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setFilesDirectory(temporaryDirectory);
    parser.setMaxFileSize(registry.maxFileBytes());
    parser.setMaxMemoryFileSize(64 * 1024);
    parser.setMaxLength(limit);
    parser.setMaxParts(10_000);
    MultiPartFormData.Parts parts;
    try {
      parts = parser.parse(new InputStreamContentSource(exchange.bodyStream())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    } catch (ExecutionException e) {
      String message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      if (message.toLowerCase(Locale.ROOT).contains("max")) {
        throw new WharfException.TooLarge("The upload exceeds the limit of " + registry.maxFileBytes()
            + " bytes for a file");
      }
      throw new WharfException.Invalid("Invalid multipart/form-data body: " + message);
    }
    Path file = null;
    PypiRegistry.UploadOutcome outcome;
    String yanked = null;
    try (parts) {
      Map<String, List<String>> fields = new LinkedHashMap<>();
      String fileName = null;
      for (MultiPart.Part part : parts) {
        if (part.getName() == null) {
          continue;
        }
        if (part.getName().equals("content")) {
          if (file != null) {
            throw new WharfException.Invalid("The upload has more than one 'content' file");
          }
          fileName = part.getFileName();
          file = Files.createTempFile(temporaryDirectory, "pypi-", ".upload");
          Files.delete(file);
          part.writeTo(file);
        } else if (part.getFileName() == null) {
          fields.computeIfAbsent(part.getName(), k -> new ArrayList<>()).add(part.getContentAsString(StandardCharsets.UTF_8));
        }
        // Other file parts (gpg_signature) are not kept.
      }
      PypiRegistry.Upload upload = new PypiRegistry.Upload(fields, fileName, file);
      String project = PypiRegistry.projectOf(upload);
      String action = upload.field(":action");
      if ("yank".equals(action) || "unyank".equals(action)) {
        // Wharf's own PEP 592 action: like npm's deprecate, it changes a version's metadata.
        authorizer.require(exchange, path, token, RepositoryAuthorizer.PUT_METADATA,
            CodeArtifactArns.packageArn(authorizer.region(), path.domainOwner(), path.domainName(), path.repository(),
                PypiRegistry.FORMAT, "", project));
        registry.yank(location, upload.field("name"), upload.field("version"), "yank".equals(action),
            upload.field("yanked_reason"));
        yanked = action;
        outcome = null;
      } else {
        authorizer.require(exchange, path, token, PUBLISH, CodeArtifactArns.packageArn(authorizer.region(),
            path.domainOwner(), path.domainName(), path.repository(), PypiRegistry.FORMAT, "", project));
        outcome = registry.upload(location, upload);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.warn("could not delete {}", file, e);
        }
      }
    }
    if (yanked != null) {
      text(exchange, 200, "OK: " + ("yank".equals(yanked) ? "yanked" : "no longer yanked"));
      return;
    }
    // Answered only once the upload's temporary files are gone.
    text(exchange, 200, outcome == PypiRegistry.UploadOutcome.CREATED ? "OK" : "OK: the identical file was already there");
  }

  private String endpointUrl(Exchange exchange, RepositoryPath path) {
    return path.endpoint(publicUrl.orElseGet(exchange::origin));
  }

  private static void redirect(Exchange exchange, String location) {
    exchange.setHeader("Location", location);
    text(exchange, 301, "Moved to " + location);
  }

  private void requireRead(Exchange exchange, RepositoryPath path, String token) {
    authorizer.require(exchange, path, token, READ, null);
  }

  private static void text(Exchange exchange, int status, String message) {
    exchange.send(status, "text/plain; charset=utf-8", message + "\n");
  }
}
