package dev.wharf.format.ruby;

import static dev.wharf.format.PackageRoute.when;

import dev.wharf.api.http.FormEncoding;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.ShellWords;
import dev.wharf.format.ErrorBody;
import dev.wharf.format.FormatContext;
import dev.wharf.format.Need;
import dev.wharf.format.PackageAction;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RubyGems under {@code /{domain}-{owner}/ruby/{repo}/}: the compact index bundler and
 * {@code gem install} resolve from, gem files and marshalled specifications, {@code gem push}
 * ({@code POST api/v1/gems}) and {@code gem yank} ({@code DELETE api/v1/gems/yank}). Errors are plain
 * text, which gem and bundler print.
 */
public final class RubyFormat extends RegistryFormat<RubyRegistry> {
  private static final PathParser<RubyRequestPath> PARSER = PathParser.of(RubyRequestPath::parse);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final int MAX_FORM_BYTES = 64 * 1024;

  public static final Spec SPEC = new Spec(RubyRegistry.FORMAT, Namespaces.NONE, ErrorBody.PLAIN_TEXT,
      "Authentication required: gem push sends GEM_HOST_API_KEY (\"Bearer <token>\"); gem install and bundler"
          + " send user 'aws' and the token as the password",
      List.of("public:ruby-gems-org"));

  public RubyFormat(FormatContext context) {
    super(SPEC, context, RubyRegistry::new);
  }

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of("gem install " + ShellWords.quote(name) + " -v " + ShellWords.quote(version));
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    return List.of(
        new ToolSetup("gem", List.of(target.wharfLogin("gem")), List.of(new ToolSetup.ConfigFile("shell (after: "
            + target.tokenCommand() + ")", "export GEM_HOST_API_KEY=\"Bearer ${CODEARTIFACT_AUTH_TOKEN}\"\n"
            + "gem push --host " + target.endpoint() + " my-gem-1.0.0.gem\ngem install my-gem --source "
            + target.endpointWithToken() + "\n"))),
        new ToolSetup("bundler", List.of(target.wharfLogin("bundler")), List.of(new ToolSetup.ConfigFile(
            "shell and Gemfile", "bundle config set --global " + java.net.URI.create(target.endpoint()).getHost()
            + " aws:${CODEARTIFACT_AUTH_TOKEN}\n\n# Gemfile\nsource \"" + target.endpoint() + "\"\n"))));
  }

  @Override
  public Optional<dev.wharf.packages.external.ExternalFormat> external() {
    return Optional.of(new RubyExternalFormat());
  }

  @Override
  public void requireCreatable(String namespace, String name) {
    super.requireCreatable(namespace, name);
    if (!RubyNames.validName(name)) {
      throw new WharfException.Invalid("ValidationException", "A gem name is 1 to " + RubyNames.MAX_NAME_LENGTH
          + " letters, digits, '.', '-' and '_', with at least one letter");
    }
  }

  /** Read from the pushed specification kept with the version (the ruby platform's, else the first). */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument document = new VersionDocument(version);
    List<VersionDescription.License> licenses = new ArrayList<>();
    document.path("licenses").forEach(l -> licenses.add(new VersionDescription.License(l.asText(), null)));
    var platforms = document.path("platforms");
    var platform = platforms.has("ruby") ? platforms.path("ruby")
        : platforms.properties().stream().findFirst().map(Map.Entry::getValue).orElse(platforms.path("ruby"));
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    platform.path("dependencies").forEach(d -> dependencies.add(new VersionDescription.Dependency(null,
        d.path("name").asText(), d.path("type").asText(), d.path("requirement").asText())));
    String source = document.path("metadata").path("source_code_uri").asText(null);
    return new VersionDescription(version.key().name(), document.summary("summary"), document.text("homepage"), source,
        licenses, document.text("description"), dependencies);
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(
        PackageRoute.get("versions", "versions", when(PARSER, RubyRequestPath.Versions.class), Need.read(),
            (call, request) -> registry.versionsFile(call.location()).send(call.exchange(), TEXT)),
        PackageRoute.get("names", "names", when(PARSER, RubyRequestPath.Names.class), Need.read(),
            (call, request) -> registry.namesFile(call.location()).send(call.exchange(), TEXT)),
        PackageRoute.get("info", "info/rake", when(PARSER, RubyRequestPath.Info.class), Need.read(), this::info),
        PackageRoute.get("gem or specification", "gems/rake-13.0.6.gem", when(PARSER, RubyRequestPath.File.class),
            Need.read(), this::file),
        PackageRoute.of("POST", "push", "api/v1/gems", when(PARSER, RubyRequestPath.Push.class),
            Need.decidedByBody("the specification at the gem's start names the gem", request -> Optional.empty(),
                PackageAction.PUBLISH),
            (call, request) -> push(call)),
        PackageRoute.of("DELETE", "yank", "api/v1/gems/yank", when(PARSER, RubyRequestPath.Yank.class),
            Need.decidedByBody("the form's gem_name names the gem", request -> Optional.empty(),
                PackageAction.PUT_METADATA),
            (call, request) -> yank(call)));
  }

  private void info(PackageCall call, RubyRequestPath.Info request) {
    registry.info(call.location(), request.name())
        .orElseThrow(() -> new WharfException.NotFound(null, "No gem named " + request.name()))
        .send(call.exchange(), TEXT);
  }

  /** A file name is NAME-VERSION[-PLATFORM]: the name is found by trying each '-' that a version follows. */
  private void file(PackageCall call, RubyRequestPath.File request) {
    String full = request.fullName();
    for (int dash = full.indexOf('-'); dash > 0; dash = full.indexOf('-', dash + 1)) {
      String name = full.substring(0, dash);
      if (RubyNames.validName(name) && versionAndPlatform(full.substring(dash + 1))) {
        Optional<PackageAsset> asset = registry.file(call.location(), name, request.fileName());
        if (asset.isPresent()) {
          context.downloads().send(call.exchange(), asset.get(), "application/octet-stream");
          return;
        }
      }
    }
    throw new WharfException.NotFound(null, "Not found: " + request.fileName());
  }

  /** Whether text is {@code VERSION} or {@code VERSION-PLATFORM}: only such a split is looked up (each look-up may ask upstreams). */
  private static boolean versionAndPlatform(String text) {
    String[] parts = text.split("-", 2);
    return RubyNames.validVersion(parts[0]) && (parts.length == 1 || RubyNames.validPlatform(parts[1]));
  }

  /** gem push: the specification, read first, authorizes publishing the gem it names; then the rest is read. */
  private void push(PackageCall call) {
    Exchange exchange = call.exchange();
    if (exchange.contentLength() > context.maxAssetBytes()) {
      throw new WharfException.TooLarge("The gem (" + exchange.contentLength() + " bytes) exceeds the limit of "
          + context.maxAssetBytes() + " bytes");
    }
    GemPackage.Spooled gem = GemPackage.read(exchange.bodyStream(), context.spoolDirectory(), context.maxAssetBytes(),
        spec -> call.authorize(PackageAction.PUBLISH, new PackageRef("", spec.name())));
    RubyRegistry.PushOutcome outcome;
    try {
      outcome = registry.push(call.location(), gem);
    } finally {
      SpoolFiles.deleteQuietly(gem.file());
    }
    String what = gem.spec().name() + " (" + gem.spec().version()
        + (gem.spec().platform().equals("ruby") ? "" : "-" + gem.spec().platform()) + ")";
    text(exchange, outcome == RubyRegistry.PushOutcome.CREATED ? "Successfully registered gem: " + what
        : "The identical gem was already pushed: " + what);
  }

  private void yank(PackageCall call) {
    Map<String, String> form = new HashMap<>();
    try {
      FormEncoding.decodeInto(new String(call.exchange().readBody(MAX_FORM_BYTES), StandardCharsets.UTF_8), form, false);
      FormEncoding.decodeInto(call.exchange().rawQuery(), form, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = RubyNames.requireName(form.get("gem_name"));
    call.authorize(PackageAction.PUT_METADATA, new PackageRef("", name));
    String version = RubyNames.requireVersion(form.get("version"));
    String platform = form.getOrDefault("platform", "ruby");
    if (platform.isEmpty()) {
      platform = "ruby";
    }
    if (!RubyNames.validPlatform(platform)) {
      throw new WharfException.Invalid("Invalid platform '" + platform + "'");
    }
    registry.yank(call.location(), name, version, platform);
    text(call.exchange(), "Successfully deleted gem: " + name + " (" + RubyNames.fullName("", version, platform)
        .substring(1) + ")");
  }

  private static void text(Exchange exchange, String body) {
    exchange.setHeader("Cache-Control", "max-age=0, must-revalidate");
    exchange.send(200, TEXT, body.endsWith("\n") ? body : body + "\n");
  }
}
