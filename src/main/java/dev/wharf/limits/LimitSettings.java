package dev.wharf.limits;

import dev.wharf.naming.WireNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which request limits a node enforces: a preset ({@code default}, {@code codeartifact} or
 * {@code none}) with entries over it, each {@code KEY=RATE} or {@code KEY=off}:
 *
 * <ul>
 *   <li>{@code anonymous}: per source address, requests that carry no valid credential;
 *   <li>{@code address}: per source address, every request;
 *   <li>{@code token}: per authorization token, package requests;
 *   <li>{@code access-key}: per access key, signed AWS API calls;
 *   <li>{@code account-reads} / {@code account-writes}: per AWS account (the token's principal's),
 *       package reads / package writes (publish, metadata changes);
 *   <li>{@code operation:NAME}: per calling account, calls of the AWS operation NAME (as AWS's quotas);
 *   <li>{@code uploads=N}: at most N uploads (package publishes of every format and
 *       PublishPackageVersion) at once; the next is refused at once.
 * </ul>
 *
 * @param preset the preset the entries were applied over
 * @param rates the rate of each scope that has one
 * @param operations the rate of each AWS operation that has one, by the model's operation name
 * @param uploads how many uploads may run at once; 0 for no bound
 */
public record LimitSettings(String preset, Map<Scope, Rate> rates, Map<String, Rate> operations, int uploads) {

  /** What a limit counts requests by. */
  public enum Scope {
    ANONYMOUS,
    ADDRESS,
    TOKEN,
    ACCESS_KEY,
    ACCOUNT_READS,
    ACCOUNT_WRITES;

    /** The name an entry uses, e.g. {@code access-key}. */
    public String key() {
      return WireNames.kebabCase(this);
    }
  }

  /** The preset the server starts with. */
  public static final String DEFAULT_PRESET = "default";
  /** Requests without a valid credential, per address, by default: far above what a client that failed to log in sends. */
  public static final Rate DEFAULT_ANONYMOUS = Rate.perSecond(300, 600);
  /** Uploads at once by default: well under the HTTP pool (200 threads), so reads are always served. */
  public static final int DEFAULT_UPLOADS = 64;

  /**
   * CodeArtifact's published default quotas ("Quotas in AWS CodeArtifact",
   * https://docs.aws.amazon.com/codeartifact/latest/ug/service-limits.html), per second, burst one second's worth.
   */
  static final Map<String, Long> CODEARTIFACT_OPERATIONS = Map.of(
      "CopyPackageVersions", 5L,
      "GetAuthorizationToken", 40L,
      "GetPackageVersionAsset", 50L,
      "ListPackageVersionAssets", 200L,
      "ListPackageVersions", 200L,
      "ListPackages", 200L,
      "PublishPackageVersion", 10L);

  private static final Pattern OPERATION_NAME = Pattern.compile("[A-Z][A-Za-z0-9]{1,127}");
  private static final List<String> PRESETS = List.of("default", "codeartifact", "none");

  public LimitSettings {
    Objects.requireNonNull(preset, "preset");
    rates = rates.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(rates));
    operations = Map.copyOf(operations);
    if (uploads < 0) {
      throw new IllegalArgumentException("uploads must be 0 (no bound) or more, got " + uploads);
    }
  }

  /** The rate of a scope, when it has one. */
  public Optional<Rate> rate(Scope scope) {
    return Optional.ofNullable(rates.get(scope));
  }

  /** The limits of the server's default preset. */
  public static LimitSettings defaults() {
    return preset(DEFAULT_PRESET);
  }

  /**
   * A preset: {@code default} (anonymous requests per address and concurrent uploads), {@code codeartifact}
   * (CodeArtifact's quotas, with the default upload bound) or {@code none} (no limit at all).
   *
   * @throws IllegalArgumentException for another name, listing the presets
   */
  public static LimitSettings preset(String name) {
    String preset = name.strip().toLowerCase(Locale.ROOT);
    Map<Scope, Rate> rates = new EnumMap<>(Scope.class);
    Map<String, Rate> operations = new TreeMap<>();
    int uploads;
    switch (preset) {
      case "default" -> {
        rates.put(Scope.ANONYMOUS, DEFAULT_ANONYMOUS);
        uploads = DEFAULT_UPLOADS;
      }
      case "codeartifact" -> {
        // "Requests without an authentication token per IP address", "Requests per second using a single
        // authentication token", "Read / Write requests per second from a single AWS account"
        rates.put(Scope.ANONYMOUS, Rate.perSecond(600));
        rates.put(Scope.TOKEN, Rate.perSecond(1200));
        rates.put(Scope.ACCOUNT_READS, Rate.perSecond(800));
        rates.put(Scope.ACCOUNT_WRITES, Rate.perSecond(100));
        CODEARTIFACT_OPERATIONS.forEach((operation, perSecond) -> operations.put(operation, Rate.perSecond(perSecond)));
        uploads = DEFAULT_UPLOADS;
      }
      case "none" -> uploads = 0;
      default -> throw new IllegalArgumentException("unknown preset '" + name.strip() + "' (known: "
          + String.join(", ", PRESETS) + ")");
    }
    return new LimitSettings(preset, rates, operations, uploads);
  }

  /**
   * The preset with {@code entries} applied over it in order (a later entry for the same key wins).
   * Each entry is {@code KEY=RATE} ({@code 50/s}, {@code 600/min}, {@code 50/s,burst=100}), {@code KEY=off},
   * or {@code uploads=N}; several may share one string separated by {@code ;}.
   *
   * @throws IllegalArgumentException naming the entry and what was expected
   */
  public static LimitSettings parse(String presetName, List<String> entries) {
    LimitSettings base = preset(presetName);
    Map<Scope, Rate> rates = new EnumMap<>(Scope.class);
    rates.putAll(base.rates);
    Map<String, Rate> operations = new TreeMap<>(base.operations);
    int uploads = base.uploads;
    for (String entry : split(entries)) {
      int equals = entry.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("'" + entry + "' is not KEY=RATE (e.g. token=50/s,burst=100,"
            + " operation:GetAuthorizationToken=40/s, anonymous=off, uploads=32)");
      }
      String key = entry.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = entry.substring(equals + 1).strip();
      boolean off = value.equalsIgnoreCase("off");
      if (key.equals("uploads")) {
        uploads = off ? 0 : count(entry, value);
      } else if (key.startsWith("operation:")) {
        String operation = entry.substring(0, equals).strip().substring("operation:".length());
        if (!OPERATION_NAME.matcher(operation).matches()) {
          throw new IllegalArgumentException("'" + entry + "': '" + operation
              + "' is not an AWS operation name such as GetAuthorizationToken");
        }
        if (off) {
          operations.remove(operation);
        } else {
          operations.put(operation, rate(entry, value));
        }
      } else {
        Scope scope = scope(entry, key);
        if (off) {
          rates.remove(scope);
        } else {
          rates.put(scope, rate(entry, value));
        }
      }
    }
    return new LimitSettings(base.preset, rates, operations, uploads);
  }

  private static List<String> split(List<String> entries) {
    List<String> out = new ArrayList<>();
    for (String entry : entries) {
      for (String part : entry.split(";")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static Scope scope(String entry, String key) {
    return WireNames.find(Scope.class, Scope::key, key).orElseThrow(() -> {
      List<String> known = new ArrayList<>();
      for (Scope scope : Scope.values()) {
        known.add(scope.key());
      }
      known.add("operation:NAME");
      known.add("uploads");
      return new IllegalArgumentException("'" + entry + "': unknown limit '" + key + "' (known: "
          + String.join(", ", known) + ")");
    });
  }

  private static Rate rate(String entry, String value) {
    try {
      return Rate.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + entry + "': " + e.getMessage() + ", or off");
    }
  }

  private static int count(String entry, String value) {
    try {
      int count = Integer.parseInt(value);
      if (count >= 1) {
        return count;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("'" + entry + "': uploads is a number of uploads at once (1 or more), or off");
  }

  /** One line for the start-up log, e.g. {@code preset default: anonymous=300/s,burst=600, uploads=64}. */
  public String describe() {
    Map<String, String> parts = new LinkedHashMap<>();
    rates.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(rate -> parts.put(rate.getKey().key(), rate.getValue().toString()));
    new TreeMap<>(operations).forEach((operation, rate) -> parts.put("operation:" + operation, rate.toString()));
    parts.put("uploads", uploads == 0 ? "off" : Integer.toString(uploads));
    List<String> out = new ArrayList<>();
    parts.forEach((key, value) -> out.add(key + "=" + value));
    return "preset " + preset + ": " + String.join(", ", out);
  }
}
