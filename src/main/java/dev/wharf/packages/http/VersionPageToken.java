package dev.wharf.packages.http;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore.VersionPosition;
import java.time.Instant;
import java.util.List;

/**
 * ListPackageVersions' nextToken: opaque to clients, it names the last version of the page
 * returned (its publish time and name), and the next page starts after it (keyset paging). The
 * token is a {@link PageToken} bound to the request it continues (package, status and origin
 * filters, sort order): a token changed by hand, cut short, or used for another package, filter or
 * order is refused with ValidationException.
 */
final class VersionPageToken {
  static final int MAX_LENGTH = PageToken.MAX_LENGTH;

  private VersionPageToken() {}

  /** The nextToken that continues a listing after {@code last}. */
  static String encode(PackageKey key, String status, String originType, boolean newestFirst, VersionPosition last) {
    return PageToken.encode(bound(key, status, originType, newestFirst),
        List.of(Long.toString(last.publishedAt().toEpochMilli()), last.version()));
  }

  /**
   * Where the page asked for starts; null when there is no token (the first page).
   *
   * @throws WharfException.Invalid (ValidationException) for a token not issued for this listing
   */
  static VersionPosition decode(String token, PackageKey key, String status, String originType, boolean newestFirst) {
    List<String> position = PageToken.decode(token, bound(key, status, originType, newestFirst), 2);
    if (position == null) {
      return null;
    }
    try {
      return new VersionPosition(Instant.ofEpochMilli(Long.parseLong(position.get(0))), position.get(1));
    } catch (NumberFormatException e) {
      throw PageToken.invalid();
    }
  }

  private static List<String> bound(PackageKey key, String status, String originType, boolean newestFirst) {
    return List.of(key.domainOwner(), key.domainName(), key.repository(), key.format(), key.namespace(), key.name(),
        String.valueOf(status), String.valueOf(originType), newestFirst ? "newest" : "oldest");
  }
}
