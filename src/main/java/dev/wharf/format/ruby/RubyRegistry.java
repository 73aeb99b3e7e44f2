package dev.wharf.format.ruby;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gems in a repository: {@code gem push}, {@code gem yank}, the compact index bundler and
 * {@code gem install} resolve from ({@code versions}, {@code info/NAME}, {@code names}), the gem
 * files and their marshalled specifications ({@code quick/Marshal.4.8/NAME-VERSION.gemspec.rz}).
 *
 * <p>A version holds one gem file per platform ({@code NAME-VERSION.gem},
 * {@code NAME-VERSION-x86_64-linux.gem}), each with its marshalled specification as a second asset.
 * Its document keeps the specification's descriptive fields and, per platform, what the compact
 * index lists: runtime and development dependencies with their requirements, the required Ruby and
 * RubyGems versions, the file's SHA-256, and whether it was yanked.
 */
public final class RubyRegistry {
  public static final String FORMAT = "ruby";
  static final String GEM_SUFFIX = ".gem";
  static final String SPEC_SUFFIX = ".gemspec.rz";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FormatContext context;
  private final Renderings<PackageKey> infos;
  public RubyRegistry(FormatContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.infos = new Renderings<>(context.renderings());
  }

  static PackageKey key(RepositoryLocation location, String name) {
    return location.key(FORMAT, "", name);
  }

  public enum PushOutcome {
    CREATED,
    UNCHANGED
  }

  /**
   * Stores a pushed gem (already checked by {@link GemPackage}): a new version, or a new platform's
   * file of a version. The same file again is a no-op; another file for a platform already pushed
   * is refused.
   */
  PushOutcome push(RepositoryLocation location, GemPackage.Spooled gem) {
    Gemspec spec = gem.spec();
    PackageKey key = key(location, spec.name());
    String fileName = spec.fullName() + GEM_SUFFIX;
    byte[] quickSpec = GemMarshal.quickSpec(spec);
    Optional<PackageDocument.VersionWithAssets> existing = version(key, spec.version());
    if (existing.isEmpty()) {
      try {
        context.publishing().publish(new PublishingService.Publication(key, spec.version(), spec.summary(),
            document(null, spec, gem.sha256()).toString(), Map.of(), "INTERNAL"), contents(gem, fileName, quickSpec));
        return PushOutcome.CREATED;
      } catch (WharfException.Conflict raced) {
        existing = version(key, spec.version());
        if (existing.isEmpty()) {
          throw raced;
        }
      }
    }
    Optional<PackageAsset> same = existing.get().assets().stream().filter(a -> a.name().equals(fileName)).findFirst();
    if (same.isPresent()) {
      return unchangedOrRefused(key, spec, same.get(), gem.sha256());
    }
    PackageVersion stored = existing.get().version();
    try (InputStream in = Files.newInputStream(gem.file())) {
      if (!context.publishing().addAsset(key, stored.version(), new PublishingService.AssetContent(fileName, in,
          context.maxAssetBytes()))) { // another push of this file came first
        PackageAsset first = version(key, stored.version()).flatMap(v -> v.assets().stream()
            .filter(a -> a.name().equals(fileName)).findFirst()).orElseThrow(() -> repushed(fileName));
        return unchangedOrRefused(key, spec, first, gem.sha256());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // the specification of the gem that was stored: added after it, so a losing push adds none
    context.publishing().addAsset(key, stored.version(), asset(quickSpecName(spec), quickSpec));
    listPlatform(key, spec, gem.sha256());
    return PushOutcome.CREATED;
  }

  private PushOutcome unchangedOrRefused(PackageKey key, Gemspec spec, PackageAsset stored, String sha256) {
    if (!stored.sha256().equals(sha256)) {
      throw repushed(stored.name());
    }
    listPlatform(key, spec, sha256); // repairs a push that stopped between its file and its index entry
    return PushOutcome.UNCHANGED;
  }

  private static WharfException.Conflict repushed(String fileName) {
    return new WharfException.Conflict(null, "Repushing of gem versions is not allowed: " + fileName
        + " was pushed with other content");
  }

  /** Adds the platform's entry to the version's current document, unless it is there. */
  private void listPlatform(PackageKey key, Gemspec spec, String sha256) {
    context.packages().changeMetadata(key, spec.version(), current ->
        new VersionDocument(current).path("platforms").has(spec.platform()) ? Optional.empty()
            : Optional.of(document(current, spec, sha256).toString()));
  }

  private List<PublishingService.AssetContent> contents(GemPackage.Spooled gem, String fileName, byte[] quickSpec) {
    try {
      return List.of(new PublishingService.AssetContent(fileName, Files.newInputStream(gem.file()), context.maxAssetBytes()),
          asset(quickSpecName(gem.spec()), quickSpec));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PublishingService.AssetContent asset(String name, byte[] content) {
    return new PublishingService.AssetContent(name, new ByteArrayInputStream(content), content.length);
  }

  static String quickSpecName(Gemspec spec) {
    return spec.fullName() + SPEC_SUFFIX;
  }

  private Optional<PackageDocument.VersionWithAssets> version(PackageKey key, String version) {
    return context.packages().document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(version)).findFirst());
  }

  /** The version's document with this platform's entry added (to the stored one, or a new one). */
  static ObjectNode document(PackageVersion stored, Gemspec spec, String sha256) {
    ObjectNode document = stored == null ? JSON.createObjectNode() : parse(stored.metadata());
    if (stored == null) {
      document.put("name", spec.name());
      document.put("version", spec.version());
      putText(document, "summary", spec.summary());
      putText(document, "description", spec.description());
      putText(document, "homepage", spec.homepage());
      document.set("authors", JSON.valueToTree(spec.authors()));
      document.set("licenses", JSON.valueToTree(spec.licenses()));
      document.set("metadata", JSON.valueToTree(spec.metadata()));
    }
    ObjectNode platform = document.with("platforms").putObject(spec.platform());
    ArrayNode dependencies = platform.putArray("dependencies");
    for (Gemspec.Dependency dependency : spec.dependencies()) {
      ObjectNode node = dependencies.addObject().put("name", dependency.name()).put("type", dependency.type());
      node.put("requirement", requirement(dependency.requirements()));
    }
    platform.put("ruby", requirement(spec.requiredRubyVersion()));
    platform.put("rubygems", requirement(spec.requiredRubygemsVersion()));
    platform.put("sha256", sha256);
    return document;
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** Constraints as the compact index writes them: {@code >= 0.9&< 100}. */
  static String requirement(List<Gemspec.Constraint> constraints) {
    List<String> parts = new ArrayList<>();
    constraints.forEach(c -> parts.add(c.toString()));
    return String.join("&", parts);
  }

  private static ObjectNode parse(String metadata) {
    try {
      return metadata != null && JSON.readTree(metadata) instanceof ObjectNode object ? object : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  // ---------------------------------------------------------------- yank

  /**
   * Yanks one platform's file of a version: the compact index no longer lists it, and the gem can
   * no longer be installed from here; the file stays, as rubygems.org keeps it out of reach.
   */
  void yank(RepositoryLocation location, String name, String version, String platform) {
    PackageKey key = key(location, name);
    if (version(key, version).isEmpty()) {
      throw new WharfException.NotFound(null, "The version " + version + " of " + name + " does not exist");
    }
    context.packages().changeMetadata(key, version, stored -> {
      ObjectNode document = parse(stored.metadata());
      JsonNode entry = document.path("platforms").path(platform);
      if (!entry.isObject()) {
        throw new WharfException.NotFound(null, "The version " + version + " of " + name + " has no " + platform
            + " gem");
      }
      if (entry.path("yanked").asBoolean(false)) {
        throw new WharfException.Invalid("The version " + version + " of " + name + " (" + platform
            + ") was already yanked");
      }
      ((ObjectNode) entry).put("yanked", true);
      return Optional.of(document.toString());
    });
  }


  // ---------------------------------------------------------------- the compact index

  /** One gem's {@code info/NAME}: a line per installable platform file, in publish order. */
  Optional<RenderedMetadata> info(RepositoryLocation location, String name) {
    PackageKey key = key(location, name);
    return context.upstreams().document(key).flatMap(document ->
        infos.get(key, document, d -> renderInfo(d).map(body -> RenderedMetadata.md5Tagged(body,
            d.summary().modifiedAt()))));
  }

  static Optional<String> renderInfo(PackageDocument document) {
    StringBuilder out = new StringBuilder("---\n");
    boolean any = false;
    for (PackageDocument.VersionWithAssets entry : document.versions()) {
      if (!entry.version().status().listed()) {
        continue;
      }
      VersionDocument version = new VersionDocument(entry.version());
      for (var platform : version.path("platforms").properties()) {
        JsonNode data = platform.getValue();
        String file = RubyNames.fullName(entry.version().key().name(), entry.version().version(), platform.getKey())
            + GEM_SUFFIX;
        if (data.path("yanked").asBoolean(false) || entry.assets().stream().noneMatch(a -> a.name().equals(file))) {
          continue;
        }
        out.append(entry.version().version());
        if (!platform.getKey().equals("ruby")) {
          out.append('-').append(platform.getKey());
        }
        out.append(' ');
        List<String> dependencies = new ArrayList<>();
        for (JsonNode dependency : data.path("dependencies")) {
          if (dependency.path("type").asText().equals("runtime")) {
            dependencies.add(dependency.path("name").asText() + ":" + dependency.path("requirement").asText());
          }
        }
        out.append(String.join(",", dependencies)).append("|checksum:").append(data.path("sha256").asText());
        if (!data.path("ruby").asText(">= 0").equals(">= 0")) {
          out.append(",ruby:").append(data.path("ruby").asText());
        }
        if (!data.path("rubygems").asText(">= 0").equals(">= 0")) {
          out.append(",rubygems:").append(data.path("rubygems").asText());
        }
        out.append('\n');
        any = true;
      }
    }
    return any ? Optional.of(out.toString()) : Optional.empty();
  }

  /** The gem names of the repository and its upstreams, once each, in name order. */
  List<String> names(RepositoryLocation location) {
    List<String> names = new ArrayList<>();
    List<String> repositories = context.upstreams().graph(location.domainOwner(), location.domainName(),
        location.repository());
    for (int i = 0; i < repositories.size(); i++) {
      String after = null;
      while (true) {
        List<String> page = context.listing().packageNames(location.domainOwner(), location.domainName(),
            repositories.get(i), FORMAT, "", repositories.subList(0, i), after, 1000);
        names.addAll(page);
        if (page.size() < 1000) {
          break;
        }
        after = page.getLast();
      }
    }
    names.sort(null);
    return names;
  }

  /** {@code names}: every gem name. */
  RenderedMetadata namesFile(RepositoryLocation location) {
    StringBuilder out = new StringBuilder("---\n");
    names(location).forEach(name -> out.append(name).append('\n'));
    return RenderedMetadata.md5Tagged(out.toString(), null);
  }

  /**
   * {@code versions}: a line per gem with its installable versions (platform ones as
   * {@code VERSION-PLATFORM}) and the MD5 of its {@code info} file, which bundler compares with its
   * cached copy. Written whole on each request (no appended lines), with the newest change as
   * {@code created_at}.
   */
  RenderedMetadata versionsFile(RepositoryLocation location) {
    StringBuilder lines = new StringBuilder();
    Instant newest = Instant.EPOCH;
    for (String name : names(location)) {
      Optional<RenderedMetadata> info = info(location, name);
      if (info.isEmpty()) {
        continue;
      }
      List<String> versions = new ArrayList<>();
      for (String line : new String(info.get().body(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.equals("---") && !line.isEmpty()) {
          versions.add(line.substring(0, line.indexOf(' ')));
        }
      }
      lines.append(name).append(' ').append(String.join(",", versions)).append(' ').append(info.get().tag())
          .append('\n');
      newest = info.get().lastModified().isAfter(newest) ? info.get().lastModified() : newest;
    }
    return RenderedMetadata.md5Tagged("created_at: " + newest + "\n---\n" + lines, newest);
  }


  // ---------------------------------------------------------------- files

  /**
   * A file of a version (a gem, or a marshalled specification) by its name, through the upstreams;
   * empty when there is none or its platform's gem was yanked.
   */
  Optional<PackageAsset> file(RepositoryLocation location, String name, String fileName) {
    if (fileName.endsWith(SPEC_SUFFIX)) {
      return specification(location, name, fileName);
    }
    return context.upstreams().versionWithAsset(key(location, name), fileName)
        .filter(v -> v.version().status().downloadable())
        .filter(v -> !yanked(v, fileName))
        .flatMap(v -> v.assets().stream().filter(a -> a.name().equals(fileName)).findFirst());
  }

  /**
   * A gem's marshalled specification: found through the gem it belongs to (kept in the repository
   * first, from an upstream or an external connection), and made from that gem when it came from an
   * external connection (whose index has no checksum of its own for one).
   */
  private Optional<PackageAsset> specification(RepositoryLocation location, String name, String fileName) {
    String gemFile = fileName.substring(0, fileName.length() - SPEC_SUFFIX.length()) + GEM_SUFFIX;
    PackageKey key = key(location, name);
    Optional<PackageDocument.VersionWithAssets> found = context.upstreams().versionWithAsset(key, gemFile)
        .filter(v -> v.version().status().downloadable())
        .filter(v -> !yanked(v, gemFile));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Optional<PackageAsset> stored = found.get().assets().stream().filter(a -> a.name().equals(fileName)).findFirst();
    if (stored.isPresent()) {
      return stored;
    }
    Optional<PackageAsset> gem = found.get().assets().stream().filter(a -> a.name().equals(gemFile)).findFirst();
    if (gem.isEmpty() || !found.get().version().key().equals(key)) {
      return Optional.empty();
    }
    GemPackage.Spooled spooled;
    try (InputStream in = context.packages().open(gem.get()).orElseThrow(() -> new WharfException.NotFound(null,
        "Not found: " + gemFile))) {
      spooled = GemPackage.read(in, context.spoolDirectory(), context.maxAssetBytes(), spec -> { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dev.wharf.format.SpoolFiles.deleteQuietly(spooled.file());
    if (!(spooled.spec().fullName() + SPEC_SUFFIX).equals(fileName)) {
      return Optional.empty();
    }
    byte[] quickSpec = GemMarshal.quickSpec(spooled.spec());
    context.publishing().addDerivedAsset(key, found.get().version().version(), asset(fileName, quickSpec));
    return version(key, found.get().version().version()).flatMap(v -> v.assets().stream()
        .filter(a -> a.name().equals(fileName)).findFirst());
  }

  private static boolean yanked(PackageDocument.VersionWithAssets version, String fileName) {
    String name = version.version().key().name();
    for (var platform : new VersionDocument(version.version()).path("platforms").properties()) {
      String full = RubyNames.fullName(name, version.version().version(), platform.getKey());
      if ((fileName.equals(full + GEM_SUFFIX) || fileName.equals(full + SPEC_SUFFIX))
          && platform.getValue().path("yanked").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }
}
