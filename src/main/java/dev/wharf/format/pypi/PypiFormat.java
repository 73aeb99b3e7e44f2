package dev.wharf.format.pypi;

import static dev.wharf.format.PackageRoute.when;

import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.ShellWords;
import dev.wharf.format.StoredNames;
import dev.wharf.format.AcceptHeader;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.MultipartForm;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyPI protocols under {@code /{domain}-{owner}/pypi/{repo}/}: the legacy upload API twine
 * uses (POST to the repository endpoint itself) and the simple repository API pip uses
 * ({@code simple/}, {@code simple/{project}/}, files and their PEP 658 {@code .metadata} below the
 * project). Wharf adds PEP 592 yanking: {@code :action=yank} / {@code unyank} posted like an upload.
 * Each route declares what it needs; errors are plain text, which pip and twine show as they are.
 */
public final class PypiFormat extends RegistryFormat<PypiRegistry> {
  private static final Logger LOG = LoggerFactory.getLogger(PypiFormat.class);
  static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
  static final String HTML_TYPE = "application/vnd.pypi.simple.v1+html";
  /** Room for the form fields around the file (descriptions can be long). */
  static final long FORM_OVERHEAD = 16L * 1024 * 1024;
  private static final PathParser<PypiRequestPath> PARSER = PathParser.of(PypiRequestPath::parse);

  public PypiFormat(FormatContext context) {
    super(SPEC, context, PypiRegistry::new);
  }

  public static final Spec SPEC = new Spec(PypiRegistry.FORMAT, Namespaces.NONE, ErrorBody.PLAIN_TEXT,
      Spec.BASIC_AWS_HINT, List.of("public:pypi"), new StoredNames(UnaryOperator.identity(), PypiNames::normalize));

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("pip install " + ShellWords.quote(name + "==" + version));
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    return List.of(
        new ToolSetup("pip", List.of(target.wharfLogin("pip"), target.awsLogin("pip")), List.of(
            new ToolSetup.ConfigFile("pip.conf (after: " + target.tokenCommand() + ")", "[global]\nindex-url = "
                + target.endpointWithToken() + "simple/\n"))),
        new ToolSetup("twine", List.of(target.wharfLogin("twine"), target.awsLogin("twine")), List.of(
            new ToolSetup.ConfigFile("~/.pypirc", "[distutils]\nindex-servers =\n    codeartifact\n\n[codeartifact]\n"
                + "repository = " + target.endpoint() + "\nusername = aws\npassword = ${CODEARTIFACT_AUTH_TOKEN}\n"))));
  }

  /** The API knows a PyPI package only by its normalized name (PEP 503). */
  @Override
  public void requireCreatable(String namespace, String name) {
    super.requireCreatable(namespace, name);
    String normalized = PypiNames.normalize(name);
    if (!normalized.equals(name)) {
      throw new WharfException.Invalid("ValidationException", "PyPI packages are named by their normalized"
          + " name in the API: use " + normalized + " (PEP 503), not " + name);
    }
  }

  @Override
  public Optional<ExternalFormat> external() {
    return Optional.of(new PypiExternalFormat());
  }

  /** Read from the upload's metadata fields (the name as uploaded; the package is stored normalized). */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument metadata = new VersionDocument(version);
    List<VersionDescription.License> licenses = new ArrayList<>();
    String license = metadata.text("license");
    if (license != null) {
      licenses.add(new VersionDescription.License(license, null));
    } else {
      for (JsonNode classifier : metadata.path("classifiers")) {
        String value = classifier.asText();
        if (value.startsWith("License :: ")) {
          licenses.add(new VersionDescription.License(value.substring(value.lastIndexOf("::") + 2).trim(), null));
        }
      }
    }
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    metadata.path("requires_dist").forEach(node -> PypiNames.requirement(node.asText()).ifPresent(dependencies::add));
    String homePage = metadata.text("home_page");
    return new VersionDescription(metadata.text("name") != null ? metadata.text("name") : version.key().name(),
        metadata.summary("summary"), homePage != null ? homePage : projectUrl(metadata, "homepage", "home"),
        projectUrl(metadata, "source", "source code", "repository", "code"), licenses, metadata.text("description"),
        dependencies);
  }

  /** PyPI's Project-URL entries are "Label, https://...". */
  private static String projectUrl(VersionDocument metadata, String... labels) {
    for (JsonNode entry : metadata.path("project_urls")) {
      String[] parts = entry.asText().split(",", 2);
      if (parts.length == 2 && List.of(labels).contains(parts[0].trim().toLowerCase(java.util.Locale.ROOT))) {
        return parts[1].trim();
      }
    }
    return null;
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(
        PackageRoute.of("POST", "upload or yank", "", PackageRoute::root,
            Need.decidedByBody("the form's :action uploads a file (publish) or yanks a version (metadata), and"
                + " its name field names the project", request -> Optional.empty(), PackageAction.PUBLISH,
                PackageAction.PUT_METADATA),
            this::upload),
        PackageRoute.get("simple API redirect", "simple/Some.Project", when(PARSER, PypiRequestPath.Redirect.class), Need.read(),
            (call, redirect) -> redirect(call.exchange(), call.endpoint() + redirect.suffix())),
        PackageRoute.get("simple index", "simple/", when(PARSER, PypiRequestPath.Index.class), Need.read(), this::index),
        PackageRoute.get("simple project page", "simple/some-project/", when(PARSER, PypiRequestPath.Project.class), Need.read(),
            this::project),
        PackageRoute.get("file", "simple/some-project/some_project-1.0-py3-none-any.whl", when(PARSER, PypiRequestPath.File.class), Need.read(), this::download));
  }

  private void index(PackageCall call, PypiRequestPath.Index index) {
    // Streamed from the store page by page: a repository's project list is never held whole.
    Format format = negotiate(call.exchange());
    String simple = call.endpoint() + "simple/";
    call.exchange().stream(200, contentType(format),
        out -> registry.writeRoot(call.location(), format == Format.JSON, simple, out));
  }

  private void project(PackageCall call, PypiRequestPath.Project project) {
    Format format = negotiate(call.exchange());
    String normalized = project.project();
    RenderedMetadata page = registry.projectPage(call.location(), normalized, call.endpoint() + "simple/" + normalized
        + "/", format == Format.JSON).orElseThrow(() -> new WharfException.NotFound(null, "No project named " + normalized));
    call.exchange().addHeader("Vary", "Accept");
    page.send(call.exchange(), contentType(format));
  }

  private void download(PackageCall call, PypiRequestPath.File file) {
    PackageAsset asset = registry.file(call.location(), file.project(), file.fileName())
        .orElseThrow(() -> new WharfException.NotFound(null, "Not found: " + file.fileName()));
    context.downloads().send(call.exchange(), asset, file.fileName().endsWith(PypiRegistry.METADATA_SUFFIX)
        ? "text/plain; charset=utf-8" : "application/octet-stream");
  }

  enum Format {
    JSON,
    HTML_V1,
    HTML
  }

  /** Chooses the answer's format from Accept (406 when none is served) and sets the caching headers. */
  private static Format negotiate(Exchange exchange) {
    exchange.setHeader("Vary", "Accept");
    exchange.setHeader("Cache-Control", "max-age=0, must-revalidate");
    return chooseFormat(exchange.header("Accept")).orElseThrow(() -> new WharfException.Invalid("NotAcceptable",
        "None of the Accept types is served: use " + JSON_TYPE + ", " + HTML_TYPE + " or text/html"));
  }

  private static String contentType(Format format) {
    return switch (format) {
      case JSON -> JSON_TYPE;
      case HTML_V1 -> HTML_TYPE + "; charset=utf-8";
      case HTML -> "text/html; charset=utf-8";
    };
  }

  /** PEP 691 negotiation by q-value; empty when nothing is acceptable (406). No header means HTML. */
  static Optional<Format> chooseFormat(String header) {
    AcceptHeader accept = AcceptHeader.parse(header);
    if (accept.isEmpty()) {
      return Optional.of(Format.HTML);
    }
    return accept.choose(type -> switch (type) {
      case JSON_TYPE, "application/vnd.pypi.simple.latest+json" -> Format.JSON;
      case HTML_TYPE, "application/vnd.pypi.simple.latest+html" -> Format.HTML_V1;
      case "text/html", "text/*", "*/*" -> Format.HTML;
      default -> null;
    });
  }

  /**
   * An upload or a yank. The form is read as it streams in: when its file part begins, the fields
   * before it (twine sends {@code :action}, {@code name} and {@code version} first) decide, and a
   * caller who may not publish the project is refused before the file is read. A form whose file
   * comes before its name is spooled and decided at its end.
   */
  private void upload(PackageCall call, String root) {
    Exchange exchange = call.exchange();
    String boundary = MultipartForm.boundary(exchange.header("Content-Type"));
    long declared = exchange.contentLength();
    long limit = context.maxAssetBytes() + FORM_OVERHEAD;
    if (declared > limit) {
      throw new WharfException.TooLarge("The upload (" + declared + " bytes) exceeds the limit for a "
          + context.maxAssetBytes() + "-byte file");
    }
    PackageAction[] decided = {null};
    MultipartForm.Form form = MultipartForm.read(exchange.bodyStream(), boundary,
        new MultipartForm.Limits(context.maxAssetBytes(), FORM_OVERHEAD, 10_000), start -> {
          if (!start.fieldName().equals("content")) {
            return null; // other files (gpg_signature) are not kept
          }
          if (start.fieldsSoFar().containsKey("name")) {
            decided[0] = authorize(call, new PypiRegistry.Upload(start.fieldsSoFar(), start.fileName(), null));
          }
          return SpoolFiles.create(context.spoolDirectory(), "pypi-", ".upload");
        });
    String answer;
    try {
      List<MultipartForm.StoredFile> contents = form.files().stream().filter(f -> f.fieldName().equals("content"))
          .toList();
      if (contents.size() > 1) {
        throw new WharfException.Invalid("The upload has more than one 'content' file");
      }
      Optional<MultipartForm.StoredFile> content = contents.stream().findFirst();
      PypiRegistry.Upload upload = new PypiRegistry.Upload(form.fields(),
          content.map(MultipartForm.StoredFile::fileName).orElse(null),
          content.map(MultipartForm.StoredFile::path).orElse(null));
      PackageAction action = decided[0] != null ? decided[0] : authorize(call, upload);
      if (action == PackageAction.PUT_METADATA) {
        boolean yank = "yank".equals(upload.field(":action"));
        registry.yank(call.location(), upload.field("name"), upload.field("version"), yank,
            upload.field("yanked_reason"));
        answer = "OK: " + (yank ? "yanked" : "no longer yanked");
      } else {
        answer = registry.upload(call.location(), upload) == PypiRegistry.UploadOutcome.CREATED ? "OK"
            : "OK: the identical file was already there";
      }
    } finally {
      for (MultipartForm.StoredFile file : form.files()) {
        try {
          Files.deleteIfExists(file.path());
        } catch (IOException e) {
          LOG.warn("could not delete {}", file.path(), e);
        }
      }
    }
    // answered only once the upload's temporary files are gone
    text(exchange, 200, answer);
  }

  /** Authorizes what the form asks for: a yank changes a version's metadata (like npm's deprecate), else publish. */
  private static PackageAction authorize(PackageCall call, PypiRegistry.Upload upload) {
    String action = upload.field(":action");
    PackageAction needed = "yank".equals(action) || "unyank".equals(action) ? PackageAction.PUT_METADATA
        : PackageAction.PUBLISH;
    call.authorize(needed, new PackageRef("", PypiRegistry.projectOf(upload)));
    return needed;
  }

  private static void redirect(Exchange exchange, String location) {
    exchange.setHeader("Location", location);
    text(exchange, 301, "Moved to " + location);
  }

  private static void text(Exchange exchange, int status, String message) {
    exchange.send(status, "text/plain; charset=utf-8", message + "\n");
  }
}
