package dev.wharf.format.cargo;

import static dev.wharf.format.PackageRoute.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.ShellWords;
import dev.wharf.format.StoredNames;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageVersion;
import java.io.InputStream;
import java.util.Optional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cargo's sparse registry under {@code /{domain}-{owner}/cargo/{repo}/}: the index
 * ({@code config.json} and the files {@code 1/a} ... {@code ab/cd/abcd}) and the web API cargo
 * publishes, yanks, downloads and searches with ({@code api/v1/crates/...}). cargo sends the token as
 * the whole {@code Authorization} value, with no scheme; {@code Bearer} works too. Errors are
 * {@code {"errors":[{"detail":"..."}]}}, which cargo shows.
 */
public final class CargoFormat extends RegistryFormat<CargoRegistry> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PathParser<CargoRequestPath> PARSER = PathParser.of(CargoRequestPath::parse);
  private static final String INDEX_TYPE = "text/plain; charset=utf-8";
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** {@code {"errors":[{"detail": message}]}}: the web API's error shape, which cargo prints. */
  public static final ErrorBody ERRORS = (exchange, status, message) -> {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("errors").addObject().put("detail", message);
    exchange.send(status, JSON_TYPE, body.toString());
  };

  public static final Spec SPEC = new Spec(CargoRegistry.FORMAT, Namespaces.NONE, ERRORS,
      "Authentication required: cargo sends the authorization token from its credential provider"
          + " (registries.NAME.credential-provider); the token alone or Bearer <token>",
      List.of("public:crates-io"), new StoredNames(CargoNames::key, CargoNames::key));

  public CargoFormat(FormatContext context) {
    super(SPEC, context, CargoRegistry::new);
  }

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("cargo add " + ShellWords.quote(name + "@=" + version));
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    return List.of(new ToolSetup("cargo", List.of(target.wharfLogin("cargo")), List.of(new ToolSetup.ConfigFile(
        "~/.cargo/config.toml", "[registries.codeartifact]\nindex = \"sparse+" + target.endpoint() + "\"\n"
            + "credential-provider = \"cargo:token-from-stdout " + target.tokenQuery() + "\"\n\n[registry]\n"
            + "default = \"codeartifact\"\n\n[source.crates-io]\nreplace-with = \"codeartifact\"\n"))));
  }

  @Override
  public java.util.Optional<dev.wharf.packages.external.ExternalFormat> external() {
    return java.util.Optional.of(new CargoExternalFormat());
  }

  /** cargo's credential providers send the token alone. */
  @Override
  public boolean acceptsBareToken() {
    return true;
  }

  /** The API knows a crate by its lower-case name, which cargo's index paths use. */
  @Override
  public void requireCreatable(String namespace, String name) {
    super.requireCreatable(namespace, name);
    if (!CargoNames.validName(name) || !CargoNames.key(name).equals(name)) {
      throw new WharfException.Invalid("ValidationException", "Crates are named in the API by their lower-case"
          + " name: 1 to 64 ASCII letters, digits, '-' and '_', beginning with a letter");
    }
  }

  /** Read from the publish metadata kept with the version. */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument document = new VersionDocument(version);
    List<VersionDescription.License> licenses = new ArrayList<>();
    if (document.text("license") != null) {
      licenses.add(new VersionDescription.License(document.text("license"), null));
    } else if (document.text("license_file") != null) {
      licenses.add(new VersionDescription.License(document.text("license_file"), null));
    }
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    for (JsonNode dep : document.path("deps")) {
      String crate = VersionDocument.textOf(dep, "package") != null ? VersionDocument.textOf(dep, "package")
          : VersionDocument.textOf(dep, "name");
      if (crate != null) {
        String kind = dep.path("kind").asText("normal");
        dependencies.add(new VersionDescription.Dependency(null, crate,
            dep.path("optional").asBoolean(false) && kind.equals("normal") ? "optional" : kind,
            VersionDocument.textOf(dep, "req")));
      }
    }
    String name = document.text("name") != null ? document.text("name") : version.key().name();
    return new VersionDescription(name, document.summary("description"), document.text("homepage"),
        document.text("repository"), licenses, document.text("readme"), dependencies);
  }

  @Override
  public List<PackageRoute<?>> routes() {
    var yank = when(PARSER, CargoRequestPath.Yank.class).andThen(y -> y.filter(CargoRequestPath.Yank::yanked));
    var unyank = when(PARSER, CargoRequestPath.Yank.class).andThen(y -> y.filter(request -> !request.yanked()));
    return List.of(
        PackageRoute.get("index configuration", "config.json", when(PARSER, CargoRequestPath.Config.class), Need.read(),
            (call, request) -> config(call)),
        PackageRoute.get("index file", "se/rd/serde", when(PARSER, CargoRequestPath.IndexFile.class), Need.read(),
            this::indexFile),
        PackageRoute.get("download", "api/v1/crates/serde/1.0.0/download",
            when(PARSER, CargoRequestPath.Download.class), Need.read(), this::download),
        PackageRoute.of("PUT", "publish", "api/v1/crates/new", when(PARSER, CargoRequestPath.Publish.class),
            Need.decidedByBody("the metadata at the body's start names the crate", request -> java.util.Optional.empty(),
                PackageAction.PUBLISH),
            (call, request) -> publish(call)),
        PackageRoute.of("DELETE", "yank", "api/v1/crates/serde/1.0.0/yank", yank,
            Need.putMetadata(request -> crate(request.name())), this::yank),
        PackageRoute.of("PUT", "unyank", "api/v1/crates/serde/1.0.0/unyank", unyank,
            Need.putMetadata(request -> crate(request.name())), this::yank),
        new PackageRoute<>("owners", java.util.Set.of("GET", "PUT", "DELETE"), "api/v1/crates/serde/owners",
            when(PARSER, CargoRequestPath.Owners.class), Need.read(), this::owners),
        PackageRoute.get("search", "api/v1/crates", when(PARSER, CargoRequestPath.Search.class), Need.read(),
            (call, request) -> search(call)));
  }

  private static PackageRef crate(String name) {
    return new PackageRef("", CargoNames.key(name));
  }

  /** The index configuration: downloads and the API at this endpoint, every request with the token. */
  private static void config(PackageCall call) {
    String endpoint = call.endpoint();
    ObjectNode config = JSON.createObjectNode();
    config.put("dl", endpoint + CargoRequestPath.API);
    config.put("api", endpoint.substring(0, endpoint.length() - 1));
    config.put("auth-required", true);
    call.exchange().setHeader("Cache-Control", "max-age=0, must-revalidate");
    call.exchange().send(200, JSON_TYPE, config.toString());
  }

  private void indexFile(PackageCall call, CargoRequestPath.IndexFile request) {
    registry.indexFile(call.location(), request.name())
        .orElseThrow(() -> new WharfException.NotFound(null, "No crate named " + request.name()))
        .send(call.exchange(), INDEX_TYPE);
  }

  private void download(PackageCall call, CargoRequestPath.Download request) {
    PackageAsset crate = registry.crateFile(call.location(), request.name(), request.version())
        .orElseThrow(() -> new WharfException.NotFound(null, "crate " + request.name() + "@" + request.version()
            + " does not exist"));
    context.downloads().send(call.exchange(), crate, "application/gzip");
  }

  /**
   * cargo publish. The metadata is read first and authorizes publishing the crate it names; only
   * then is the crate read, spooled and checked.
   */
  private void publish(PackageCall call) {
    Exchange exchange = call.exchange();
    long declared = exchange.contentLength();
    long limit = 8L + CargoPublish.MAX_METADATA_BYTES + context.maxAssetBytes();
    if (declared > limit) {
      throw new WharfException.TooLarge("The publish request (" + declared + " bytes) exceeds the limit for a "
          + context.maxAssetBytes() + "-byte crate");
    }
    InputStream body = exchange.bodyStream();
    CargoPublish.Head head = CargoPublish.readHead(body);
    call.authorize(PackageAction.PUBLISH, crate(head.name()));
    CargoPublish.Metadata metadata = CargoPublish.readMetadata(body, head);
    CargoPublish.Crate spooled = CargoPublish.spoolCrate(body, context.spoolDirectory(), context.maxAssetBytes());
    CargoRegistry.PublishOutcome outcome;
    try {
      outcome = registry.publish(call.location(), metadata, spooled);
    } finally {
      dev.wharf.format.SpoolFiles.deleteQuietly(spooled.file());
    }
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode warnings = answer.putObject("warnings");
    warnings.putArray("invalid_categories");
    warnings.putArray("invalid_badges");
    ArrayNode other = warnings.putArray("other");
    if (outcome == CargoRegistry.PublishOutcome.UNCHANGED) {
      other.add("crate " + metadata.name() + "@" + metadata.version() + " was already published with these bytes;"
          + " nothing changed");
    }
    exchange.send(200, JSON_TYPE, answer.toString());
  }

  private void yank(PackageCall call, CargoRequestPath.Yank request) {
    registry.yank(call.location(), request.name(), request.version(), request.yanked());
    call.exchange().send(200, JSON_TYPE, "{\"ok\":true}");
  }

  /** Owners are IAM's business here, as in CodeArtifact: listed as none, and not changed. */
  private void owners(PackageCall call, CargoRequestPath.Owners request) {
    if (registry.indexFile(call.location(), request.name()).isEmpty()) {
      throw new WharfException.NotFound(null, "No crate named " + request.name());
    }
    if (!call.exchange().method().equals("GET")) {
      throw new WharfException.Invalid("cargo owner cannot change owners: who may publish " + request.name()
          + " is decided by IAM and repository policies");
    }
    call.exchange().send(200, JSON_TYPE, "{\"users\":[]}");
  }

  private void search(PackageCall call) {
    Map<String, String> query = new HashMap<>();
    FormEncoding.decodeInto(call.exchange().rawQuery(), query, false);
    String q = query.getOrDefault("q", "");
    if (q.length() > 200) {
      throw new WharfException.Invalid("The search query is longer than 200 characters");
    }
    int perPage;
    try {
      perPage = Integer.parseInt(query.getOrDefault("per_page", "10"));
    } catch (NumberFormatException e) {
      throw new WharfException.Invalid("per_page must be a number");
    }
    perPage = Math.max(1, Math.min(CargoRegistry.MAX_SEARCH_RESULTS, perPage));
    CargoRegistry.SearchResult result = registry.search(call.location(), q, perPage);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode crates = answer.putArray("crates");
    for (CargoRegistry.Found found : result.crates()) {
      ObjectNode crate = crates.addObject().put("name", found.name()).put("max_version", found.maxVersion());
      if (found.description() != null) {
        crate.put("description", found.description());
      } else {
        crate.putNull("description");
      }
    }
    answer.putObject("meta").put("total", result.total());
    call.exchange().send(200, JSON_TYPE, answer.toString());
  }
}
