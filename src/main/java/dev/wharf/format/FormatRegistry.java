package dev.wharf.format;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The package formats, registered once at start: the one list of formats. Registering checks each
 * format's route table (every route declares its need, names are unique), so a format that does
 * not declare what its routes need stops the server from starting.
 */
public final class FormatRegistry {
  private final Map<String, PackageFormat> formats = new LinkedHashMap<>();

  /** A standard format: its facts, known without building it, and how it is built. */
  private record Standard(PackageFormat.Spec spec, Function<FormatContext, PackageFormat> build) {}

  /**
   * Every format CodeArtifact has, in the order of its API's enum: the one registration list. A new
   * format is its own package and one line here.
   */
  private static final List<Standard> STANDARD = List.of(
      new Standard(dev.wharf.format.npm.NpmFormat.SPEC, dev.wharf.format.npm.NpmFormat::new),
      new Standard(dev.wharf.format.pypi.PypiFormat.SPEC, dev.wharf.format.pypi.PypiFormat::new),
      new Standard(dev.wharf.format.maven.MavenFormat.SPEC, dev.wharf.format.maven.MavenFormat::new),
      new Standard(dev.wharf.format.nuget.NugetFormat.SPEC, dev.wharf.format.nuget.NugetFormat::new),
      new Standard(dev.wharf.format.generic.GenericFormat.SPEC, context -> new dev.wharf.format.generic.GenericFormat()),
      new Standard(dev.wharf.format.ruby.RubyFormat.SPEC, dev.wharf.format.ruby.RubyFormat::new),
      new Standard(dev.wharf.format.swift.SwiftFormat.SPEC, dev.wharf.format.swift.SwiftFormat::new),
      new Standard(dev.wharf.format.cargo.CargoFormat.SPEC, dev.wharf.format.cargo.CargoFormat::new));

  /** Every format CodeArtifact has, built with {@code context}. */
  public static FormatRegistry standard(FormatContext context) {
    return new FormatRegistry(STANDARD.stream().map(standard -> {
      PackageFormat format = standard.build().apply(context);
      if (format.spec() != standard.spec()) {
        throw new IllegalStateException("format " + format.name() + " states another spec than it is registered with");
      }
      return format;
    }).toList());
  }

  /**
   * How each standard format stores namespaces and names, by format name in registration order: what a schema
   * migration that rewrites stored names knows of the formats, since it runs before any format can be built.
   */
  public static Map<String, StoredNames> standardStoredNames() {
    return storedNames(STANDARD.stream().map(Standard::spec).toList());
  }

  public FormatRegistry(List<PackageFormat> formats) {
    for (PackageFormat format : formats) {
      if (!format.name().matches("[a-z]{1,16}")) {
        throw new IllegalStateException("format name " + format.name() + " is not 1..16 lower-case letters");
      }
      if (this.formats.putIfAbsent(format.name(), format) != null) {
        throw new IllegalStateException("format " + format.name() + " is registered twice");
      }
      Set<String> names = new HashSet<>();
      for (PackageRoute<?> route : format.routes()) {
        if (route == null) {
          throw new IllegalStateException("format " + format.name() + " declares a null route");
        }
        if (!names.add(route.name())) {
          throw new IllegalStateException("format " + format.name() + " declares route " + route.name() + " twice");
        }
      }
    }
  }

  /** The registered format of that name. */
  public Optional<PackageFormat> find(String name) {
    return Optional.ofNullable(formats.get(name));
  }

  /** Every registered format, in registration order. */
  public List<PackageFormat> all() {
    return List.copyOf(formats.values());
  }

  /** The format of that name, or a ValidationException as the API answers an unknown format. */
  public PackageFormat require(String name) {
    PackageFormat format = name == null ? null : formats.get(name);
    if (format == null) {
      throw new dev.wharf.error.WharfException.Invalid("ValidationException", "1 validation error detected: Value '"
          + name + "' at 'format' failed to satisfy constraint: Member must satisfy enum value set: " + names());
    }
    return format;
  }

  /** Every external connection name, with the format it serves. */
  public Map<String, String> externalConnectionFormats() {
    Map<String, String> connections = new java.util.TreeMap<>();
    formats.values().forEach(format -> format.spec().externalConnections().forEach(name -> connections.put(name, format.name())));
    return Map.copyOf(connections);
  }

  /** How each format that can reads a public registry. */
  public List<dev.wharf.packages.external.ExternalFormat> externalFormats() {
    return formats.values().stream().flatMap(format -> format.external().stream()).toList();
  }

  /**
   * How each format stores namespaces and names, by format name in registration order (what a package group
   * pattern is read with).
   */
  public Map<String, StoredNames> storedNames() {
    return storedNames(formats.values().stream().map(PackageFormat::spec).toList());
  }

  private static Map<String, StoredNames> storedNames(List<PackageFormat.Spec> specs) {
    Map<String, StoredNames> names = new LinkedHashMap<>();
    specs.forEach(spec -> names.put(spec.name(), spec.storedNames()));
    return java.util.Collections.unmodifiableMap(names);
  }

  /** The formats' names, in registration order. */
  public List<String> names() {
    return List.copyOf(formats.keySet());
  }
}
