package dev.wharf.format;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The package formats, registered once at start: the one list of formats. Registering checks each
 * format's route table (every route declares its need, names are unique), so a format that does
 * not declare what its routes need stops the server from starting.
 */
public final class FormatRegistry {
  private final Map<String, PackageFormat> formats = new LinkedHashMap<>();

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

  /** The formats' names, in registration order. */
  public List<String> names() {
    return List.copyOf(formats.keySet());
  }
}
