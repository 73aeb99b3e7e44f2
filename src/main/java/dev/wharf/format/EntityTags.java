package dev.wharf.format;

/** Matching an {@code If-None-Match} header against entity tags, as RFC 9110 13.1.2 does (weak comparison). */
final class EntityTags {
  private EntityTags() {}

  /** Whether the header is {@code *} or names one of the tags (a {@code W/} prefix ignored). */
  static boolean anyMatches(String ifNoneMatch, String... etags) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String value = candidate.trim();
      if (value.startsWith("W/")) {
        value = value.substring(2);
      }
      if (value.equals("*")) {
        return true;
      }
      for (String etag : etags) {
        if (value.equals(etag)) {
          return true;
        }
      }
    }
    return false;
  }
}
