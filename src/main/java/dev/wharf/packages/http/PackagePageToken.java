package dev.wharf.packages.http;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageStore.PackageFilter;
import dev.wharf.packages.PackageStore.PackagePosition;
import java.util.List;

/**
 * ListPackages' nextToken: opaque to clients, it names the last package of the page returned (its
 * format, namespace and name), and the next page starts after it (keyset paging). The token is a
 * {@link PageToken} bound to the repository and every filter of the listing: a token changed by
 * hand, cut short, or used for another repository or filter is refused with ValidationException.
 */
final class PackagePageToken {
  private PackagePageToken() {}

  /** The nextToken that continues a listing after {@code last}. */
  static String encode(String owner, String domain, String repository, PackageFilter filter, PackagePosition last) {
    return PageToken.encode(bound(owner, domain, repository, filter), List.of(last.format(), last.namespace(),
        last.name()));
  }

  /**
   * Where the page asked for starts; null when there is no token (the first page).
   *
   * @throws WharfException.Invalid (ValidationException) for a token not issued for this listing
   */
  static PackagePosition decode(String token, String owner, String domain, String repository, PackageFilter filter) {
    List<String> position = PageToken.decode(token, bound(owner, domain, repository, filter), 3);
    if (position == null) {
      return null;
    }
    if (position.get(0).isEmpty()) {
      throw PageToken.invalid();
    }
    return new PackagePosition(position.get(0), position.get(1), position.get(2));
  }

  private static List<String> bound(String owner, String domain, String repository, PackageFilter filter) {
    // "packages" first: a ListPackageVersions token never checks out here. A filter is "-" when absent
    // and "=value" when present, so no value can pass for an absent filter.
    return List.of("packages", owner, domain, repository, optional(filter.format()), optional(filter.namespace()),
        optional(filter.namePrefix()), optional(filter.publish() == null ? null : filter.publish().name()),
        optional(filter.upstream() == null ? null : filter.upstream().name()));
  }

  private static String optional(String value) {
    return value == null ? "-" : "=" + value;
  }
}
