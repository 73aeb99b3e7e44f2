package dev.wharf.format.nuget;

import static dev.wharf.format.PackageRoute.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.error.WharfException;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.MultipartForm;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.PathParser;
import dev.wharf.format.ShellWords;
import dev.wharf.format.StoredNames;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NuGet's V3 protocol under {@code /{domain}-{owner}/nuget/{repo}/}, as CodeArtifact serves it: the
 * service index ({@code v3/index.json}) lists push ({@code PackagePublish/2.0.0}), the flat container
 * ({@code PackageBaseAddress/3.0.0}), registrations ({@code RegistrationsBaseUrl}), search and
 * autocomplete. NuGet sends the token as Basic {@code aws:<token>} from its NuGet.Config; a push may
 * send it as {@code X-NuGet-ApiKey}. Errors are plain text (NuGet shows the status and its reason).
 */
public final class NugetFormat extends RegistryFormat<NugetRegistry> {
  private static final PathParser<NugetRequestPath> PARSER = PathParser.of(NugetRequestPath::parse);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final long FORM_OVERHEAD = 64 * 1024;
  private static final int MAX_QUERY = 200;

  public static final Spec SPEC = new Spec(NugetRegistry.FORMAT, Namespaces.NONE, ErrorBody.PLAIN_TEXT,
      "Authentication required: NuGet sends user 'aws' and the authorization token as the password"
          + " (NuGet.Config packageSourceCredentials); a push may send the token as X-NuGet-ApiKey",
      List.of("public:nuget-org"), new StoredNames(NugetNames::key, NugetNames::key));

  public NugetFormat(FormatContext context) {
    super(SPEC, context, NugetRegistry::new);
  }

  /** CodeArtifact normalizes the package members of API requests for NuGet as it stores them. */
  @Override
  public dev.wharf.format.StoredNames apiNames() {
    return SPEC.storedNames();
  }

  /**
   * CodeArtifact normalizes the version members of API requests for NuGet as it stores versions ({@code 1.01.0} and
   * {@code 1.1.0.0+build} are {@code 1.1.0}); the pre-release label keeps its case, as NuGet's normalized form does.
   */
  @Override
  public String apiVersion(String written) {
    return NugetNames.normalize(written).orElse(written);
  }

  @Override
  public Optional<dev.wharf.packages.external.ExternalFormat> external() {
    return Optional.of(new NugetExternalFormat());
  }

  /** {@code dotnet nuget push} sends its API key in this header: the token, when NuGet.Config has no credentials. */
  @Override
  public Optional<String> apiKeyHeader() {
    return Optional.of("X-NuGet-ApiKey");
  }

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("dotnet add package " + ShellWords.quote(name) + " --version " + ShellWords.quote(version));
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    String config = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
        + "    <add key=\"" + target.domain() + "/" + target.repository() + "\" value=\"" + target.endpoint()
        + "v3/index.json\" />\n  </packageSources>\n  <packageSourceCredentials>\n    <" + target.domain() + "_x002F_"
        + target.repository() + ">\n      <add key=\"Username\" value=\"aws\" />\n"
        + "      <add key=\"ClearTextPassword\" value=\"${CODEARTIFACT_AUTH_TOKEN}\" />\n    </" + target.domain()
        + "_x002F_" + target.repository() + ">\n  </packageSourceCredentials>\n</configuration>\n";
    return List.of(
        new ToolSetup("dotnet", List.of(target.wharfLogin("dotnet"), target.awsLogin("dotnet")), List.of(new ToolSetup.ConfigFile(
            "~/.nuget/NuGet/NuGet.Config", config))),
        new ToolSetup("nuget", List.of(target.wharfLogin("nuget"), target.awsLogin("nuget")), List.of(new ToolSetup.ConfigFile(
            "~/.nuget/NuGet/NuGet.Config", config))));
  }

  /** The API knows a package by its lower-case id, as CodeArtifact normalizes it. */
  @Override
  public void requireCreatable(String namespace, String name) {
    super.requireCreatable(namespace, name);
    if (!NugetNames.validId(name) || !NugetNames.key(name).equals(name)) {
      throw new WharfException.Invalid("ValidationException", "NuGet packages are named in the API by their lower-case"
          + " id: 1 to " + NugetNames.MAX_ID_LENGTH + " letters, digits and '_', separated by single '.' or '-'");
    }
  }

  /** Read from the {@code .nuspec} kept with the version; the readme is the file it names, else its description. */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument document = new VersionDocument(version);
    List<VersionDescription.License> licenses = new ArrayList<>();
    if (document.text("licenseExpression") != null) {
      licenses.add(new VersionDescription.License(document.text("licenseExpression"), null));
    } else if (document.text("licenseUrl") != null) {
      licenses.add(new VersionDescription.License(null, document.text("licenseUrl")));
    }
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    for (var group : document.path("dependencyGroups")) {
      String framework = VersionDocument.textOf(group, "targetFramework");
      for (var dependency : group.path("dependencies")) {
        dependencies.add(new VersionDescription.Dependency(null, NugetNames.key(dependency.path("id").asText()),
            framework, VersionDocument.textOf(dependency, "range")));
      }
    }
    String readme = document.text("readme") != null ? document.text("readme") : document.text("description");
    String name = document.text("id") != null ? document.text("id") : version.key().name();
    return new VersionDescription(name, document.summary("summary") != null ? document.summary("summary")
        : document.summary("description"), document.text("projectUrl"), document.text("repositoryUrl"), licenses, readme,
        dependencies);
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(
        PackageRoute.get("service index", "v3/index.json", when(PARSER, NugetRequestPath.ServiceIndex.class),
            Need.read(), (call, request) -> serviceIndex(call)),
        PackageRoute.of("PUT", "push", "v3/package/", when(PARSER, NugetRequestPath.Push.class),
            Need.decidedByBody("the .nuspec in the pushed package names the package", request -> Optional.empty(),
                PackageAction.PUBLISH),
            (call, request) -> push(call)),
        PackageRoute.of("DELETE", "unlist", "v3/package/newtonsoft.json/13.0.3",
            when(PARSER, NugetRequestPath.Version.class), Need.putMetadata(request -> nugetPackage(request.id())),
            this::unlist),
        PackageRoute.get("flat container versions", "v3/package/newtonsoft.json/index.json",
            when(PARSER, NugetRequestPath.FlatVersions.class), Need.read(), this::flatVersions),
        PackageRoute.get("flat container file", "v3/package/newtonsoft.json/13.0.3/newtonsoft.json.13.0.3.nupkg",
            when(PARSER, NugetRequestPath.FlatFile.class), Need.read(), this::flatFile),
        PackageRoute.get("registration index", "v3/registration/newtonsoft.json/index.json",
            when(PARSER, NugetRequestPath.RegistrationIndex.class), Need.read(), this::registrationIndex),
        PackageRoute.get("registration page", "v3/registration/newtonsoft.json/page/1.0.0/13.0.3.json",
            when(PARSER, NugetRequestPath.RegistrationPage.class), Need.read(), this::registrationPage),
        PackageRoute.get("registration leaf", "v3/registration/newtonsoft.json/13.0.3.json",
            when(PARSER, NugetRequestPath.RegistrationLeaf.class), Need.read(), this::registrationLeaf),
        PackageRoute.get("search", "v3/search", when(PARSER, NugetRequestPath.Search.class), Need.read(),
            (call, request) -> search(call)),
        PackageRoute.get("autocomplete", "v3/autocomplete", when(PARSER, NugetRequestPath.Autocomplete.class),
            Need.read(), (call, request) -> autocomplete(call)));
  }

  private static PackageRef nugetPackage(String id) {
    return new PackageRef("", NugetNames.key(id));
  }

  private static void serviceIndex(PackageCall call) {
    String endpoint = call.endpoint();
    ObjectNode index = JSON.createObjectNode().put("version", "3.0.0");
    ArrayNode resources = index.putArray("resources");
    resource(resources, endpoint + NugetRequestPath.PACKAGE, "PackagePublish/2.0.0");
    resource(resources, endpoint + NugetRequestPath.PACKAGE, "PackageBaseAddress/3.0.0");
    for (String type : List.of("RegistrationsBaseUrl", "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl/3.0.0-rc",
        "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/3.6.0")) {
      resource(resources, endpoint + NugetRequestPath.REGISTRATION, type);
    }
    for (String type : List.of("SearchQueryService", "SearchQueryService/3.0.0-beta", "SearchQueryService/3.0.0-rc",
        "SearchQueryService/3.5.0")) {
      resource(resources, endpoint + NugetRequestPath.V3 + "search", type);
    }
    for (String type : List.of("SearchAutocompleteService", "SearchAutocompleteService/3.0.0-beta",
        "SearchAutocompleteService/3.0.0-rc", "SearchAutocompleteService/3.5.0")) {
      resource(resources, endpoint + NugetRequestPath.V3 + "autocomplete", type);
    }
    call.exchange().setHeader("Cache-Control", "max-age=0, must-revalidate");
    call.exchange().send(200, JSON_TYPE, index.toString());
  }

  private static void resource(ArrayNode resources, String id, String type) {
    resources.addObject().put("@id", id).put("@type", type);
  }

  /**
   * {@code nuget push}: a multipart body with the {@code .nupkg} as its file. The package is spooled,
   * its {@code .nuspec} read, and only then is publishing the package it names authorized.
   */
  private void push(PackageCall call) {
    Exchange exchange = call.exchange();
    String boundary = MultipartForm.boundary(exchange.header("Content-Type"));
    long declared = exchange.contentLength();
    if (declared > context.maxAssetBytes() + FORM_OVERHEAD) {
      throw new WharfException.TooLarge("The package (" + declared + " bytes) exceeds the limit of "
          + context.maxAssetBytes() + " bytes");
    }
    boolean[] first = {true};
    MultipartForm.Form form = MultipartForm.read(exchange.bodyStream(), boundary,
        new MultipartForm.Limits(context.maxAssetBytes(), FORM_OVERHEAD, 16), start -> {
          if (!first[0]) {
            throw new WharfException.Invalid("A push carries one package: the body has more than one file");
          }
          first[0] = false;
          try {
            return Files.createTempFile(context.spoolDirectory(), "nuget-", ".nupkg");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    try {
      MultipartForm.StoredFile file = form.files().stream().findFirst()
          .orElseThrow(() -> new WharfException.Invalid("The push has no package file"));
      NugetPackage pushed = NugetPackage.read(file.path());
      call.authorize(PackageAction.PUBLISH, nugetPackage(pushed.nuspec().id()));
      registry.push(call.location(), pushed, file.path());
    } finally {
      form.files().forEach(f -> SpoolFiles.deleteQuietly(f.path()));
    }
    exchange.send(201, "text/plain; charset=utf-8", "Created\n");
  }

  private void unlist(PackageCall call, NugetRequestPath.Version request) {
    registry.unlist(call.location(), request.id(), request.version());
    call.exchange().send(200, "text/plain; charset=utf-8", "Unlisted\n");
  }

  private void flatVersions(PackageCall call, NugetRequestPath.FlatVersions request) {
    registry.flatVersions(call.location(), request.id(), call.endpoint())
        .orElseThrow(() -> notFound(request.id()))
        .send(call.exchange(), JSON_TYPE);
  }

  private void flatFile(PackageCall call, NugetRequestPath.FlatFile request) {
    NugetRegistry.FlatFile file = registry.flatFile(call.location(), request.id(), request.version(),
        request.fileName()).orElseThrow(() -> new WharfException.NotFound(null, "Not found: " + request.fileName()));
    switch (file) {
      case NugetRegistry.FlatFile.Stored stored -> context.downloads().send(call.exchange(), stored.asset(),
          stored.asset().name().endsWith(".nuspec") ? "application/xml" : "application/octet-stream");
      case NugetRegistry.FlatFile.Inside inside -> RenderedMetadata.of(inside.nuspec(), inside.modifiedAt())
          .send(call.exchange(), "application/xml");
    }
  }

  private void registrationIndex(PackageCall call, NugetRequestPath.RegistrationIndex request) {
    registry.registrationIndex(call.location(), request.id(), call.endpoint())
        .orElseThrow(() -> notFound(request.id()))
        .send(call.exchange(), JSON_TYPE);
  }

  private void registrationPage(PackageCall call, NugetRequestPath.RegistrationPage request) {
    registry.registrationPage(call.location(), request.id(), request.lower(), request.upper(), call.endpoint())
        .orElseThrow(() -> notFound(request.id()))
        .send(call.exchange(), JSON_TYPE);
  }

  private void registrationLeaf(PackageCall call, NugetRequestPath.RegistrationLeaf request) {
    registry.registrationLeaf(call.location(), request.id(), request.version(), call.endpoint())
        .orElseThrow(() -> new WharfException.NotFound(null, "Package " + request.id() + " " + request.version()
            + " does not exist"))
        .send(call.exchange(), JSON_TYPE);
  }

  private static WharfException.NotFound notFound(String id) {
    return new WharfException.NotFound(null, "No package with the id " + id);
  }

  /** The search query's parameters, bounded. */
  private record Query(String q, int skip, int take, boolean prerelease, String id) {
    static Query of(PackageCall call) {
      Map<String, String> query = new HashMap<>();
      FormEncoding.decodeInto(call.exchange().rawQuery(), query, false);
      String q = query.getOrDefault("q", "");
      if (q.length() > MAX_QUERY) {
        throw new WharfException.Invalid("The search query is longer than " + MAX_QUERY + " characters");
      }
      int skip = number(query, "skip", 0);
      int take = Math.min(NugetRegistry.MAX_SEARCH_RESULTS, number(query, "take", 20));
      return new Query(q, skip, take, Boolean.parseBoolean(query.getOrDefault("prerelease", "false")), query.get("id"));
    }

    private static int number(Map<String, String> query, String name, int otherwise) {
      String text = query.get(name);
      if (text == null || text.isEmpty()) {
        return otherwise;
      }
      try {
        int value = Integer.parseInt(text);
        if (value < 0) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new WharfException.Invalid("'" + name + "' must be a number of at least 0");
      }
    }
  }

  private void search(PackageCall call) {
    Query query = Query.of(call);
    NugetRegistry.SearchResult result = registry.search(call.location(), query.q(), query.skip(), query.take(),
        query.prerelease());
    NugetRegistry.Urls urls = new NugetRegistry.Urls(call.endpoint());
    ObjectNode answer = JSON.createObjectNode().put("totalHits", result.total());
    ArrayNode data = answer.putArray("data");
    for (NugetRegistry.Found found : result.packages()) {
      VersionDocument newest = found.newest();
      ObjectNode item = data.addObject();
      item.put("@id", urls.index(found.id())).put("@type", "Package").put("registration", urls.index(found.id()));
      item.put("id", found.id()).put("version", found.versions().getLast());
      item.put("description", newest.path("description").asText(""));
      item.put("summary", newest.path("summary").asText(""));
      item.put("title", newest.path("title").asText(""));
      item.put("licenseUrl", newest.path("licenseUrl").asText(""));
      item.put("projectUrl", newest.path("projectUrl").asText(""));
      ArrayNode tags = item.putArray("tags");
      for (String tag : newest.path("tags").asText("").split("[\\s,;]+")) {
        if (!tag.isEmpty()) {
          tags.add(tag);
        }
      }
      ArrayNode authors = item.putArray("authors");
      for (String author : newest.path("authors").asText("").split(",")) {
        if (!author.isBlank()) {
          authors.add(author.strip());
        }
      }
      item.put("totalDownloads", 0).put("verified", false);
      item.putArray("packageTypes").addObject().put("name", "Dependency");
      ArrayNode versions = item.putArray("versions");
      found.versions().forEach(v -> versions.addObject().put("version", v).put("downloads", 0)
          .put("@id", urls.leaf(found.id(), v)));
    }
    call.exchange().send(200, JSON_TYPE, answer.toString());
  }

  /** Package ids containing {@code q}, or with {@code id=} the listed versions of that package. */
  private void autocomplete(PackageCall call) {
    Query query = Query.of(call);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode data = JSON.createArrayNode();
    if (query.id() != null) {
      NugetNames.requireId(query.id());
      List<String> versions = registry.describe(call.location(), query.id(), query.prerelease())
          .map(NugetRegistry.Found::versions).orElse(List.of());
      versions.forEach(data::add);
      answer.put("totalHits", versions.size());
    } else {
      NugetRegistry.SearchResult result = registry.search(call.location(), query.q(), query.skip(), query.take(),
          query.prerelease());
      result.packages().forEach(found -> data.add(found.id()));
      answer.put("totalHits", result.total());
    }
    answer.set("data", data);
    call.exchange().send(200, JSON_TYPE, answer.toString());
  }
}
