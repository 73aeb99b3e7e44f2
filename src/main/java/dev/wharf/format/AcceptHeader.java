package dev.wharf.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * An {@code Accept} header as content negotiation reads it: media ranges in the client's order,
 * each with its quality ({@code q}, 1 when absent, 0 when malformed). One parser for every format, and
 * for {@code Accept-Encoding}, whose codings have the same grammar.
 */
public record AcceptHeader(List<Range> ranges) {
  /** One media range, its type lower-cased, parameters other than q dropped. */
  public record Range(String type, double quality) {}

  public AcceptHeader {
    ranges = List.copyOf(ranges);
  }

  /** Parses a header; null or blank gives no ranges. */
  public static AcceptHeader parse(String header) {
    List<Range> ranges = new ArrayList<>();
    if (header != null) {
      for (String part : header.split(",")) {
        String[] pieces = part.trim().split(";");
        String type = pieces[0].trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
          continue;
        }
        double quality = 1;
        for (int i = 1; i < pieces.length; i++) {
          String parameter = pieces[i].trim().replace(" ", "");
          if (parameter.startsWith("q=")) {
            try {
              quality = Double.parseDouble(parameter.substring(2));
            } catch (NumberFormatException e) {
              quality = 0;
            }
          }
        }
        ranges.add(new Range(type, quality));
      }
    }
    return new AcceptHeader(ranges);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether the client names this exact type with a quality above 0. */
  public boolean accepts(String type) {
    String wanted = type.toLowerCase(Locale.ROOT);
    return ranges.stream().anyMatch(range -> range.type().equals(wanted) && range.quality() > 0);
  }

  /**
   * The served representation the client prefers: {@code served} maps a media range to what it
   * stands for (null when not served); the highest quality above 0 wins, the earliest on a tie.
   */
  public <T> Optional<T> choose(Function<String, T> served) {
    T best = null;
    double bestQuality = 0;
    for (Range range : ranges) {
      T representation = served.apply(range.type());
      if (representation != null && range.quality() > bestQuality) {
        best = representation;
        bestQuality = range.quality();
      }
    }
    return Optional.ofNullable(best);
  }
}
