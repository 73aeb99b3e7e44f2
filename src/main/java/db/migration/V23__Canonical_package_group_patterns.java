package db.migration;

import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.PackageGroupPattern;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.StoredNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Rewrites package group patterns stored before patterns were read the way each format stores names (PyPI's
 * PEP 503 normalization; cargo, NuGet and Swift in lower case): a row such as {@code /pypi//Foo_Bar$} is keyed by
 * a text the API no longer makes, so DescribePackageGroup, UpdatePackageGroup and DeletePackageGroup, which look a
 * group up by its canonical text ({@code /pypi//foo-bar$}), never found it. Each such row, its allowed
 * repositories and its tags (whose ARN encodes the pattern) move to the canonical text, which comes from the same
 * code the API reads patterns with ({@link PackageGroupPattern#parse} with the formats' {@link StoredNames}).
 *
 * <p>When the canonical group exists already (made after the change), it is the one the API has shown and
 * edited since, so it is kept as it is and the old row is dropped with its lists and tags. Java, not SQL: the
 * normalization is the formats' code, and one schema serves SQLite and PostgreSQL.
 */
public final class V23__Canonical_package_group_patterns extends BaseJavaMigration {
  private static final String GROUP = "domain_owner = ? AND domain_name = ? AND pattern = ?";

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    Map<String, StoredNames> formats = FormatRegistry.standardStoredNames();
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT domain_owner, domain_name, pattern FROM package_groups ORDER BY domain_owner, domain_name, pattern");
        ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(new String[] {result.getString(1), result.getString(2), result.getString(3)});
      }
    }
    for (String[] row : rows) {
      String canonical;
      try {
        canonical = PackageGroupPattern.parse(row[2], formats).toString();
      } catch (WharfException.Invalid unreadable) {
        continue; // not made by the API: left for an operator to see, as before
      }
      if (!canonical.equals(row[2])) {
        move(connection, row[0], row[1], row[2], canonical);
      }
    }
  }

  private static void move(Connection connection, String owner, String domain, String old, String canonical)
      throws SQLException {
    boolean exists;
    try (PreparedStatement find = connection.prepareStatement("SELECT COUNT(*) FROM package_groups WHERE " + GROUP)) {
      bind(find, owner, domain, canonical);
      try (ResultSet result = find.executeQuery()) {
        result.next();
        exists = result.getLong(1) > 0;
      }
    }
    if (!exists) {
      update(connection, "INSERT INTO package_groups (domain_owner, domain_name, pattern, description, contact_info,"
          + " created_at, publish, external_upstream, internal_upstream) SELECT domain_owner, domain_name, ?,"
          + " description, contact_info, created_at, publish, external_upstream, internal_upstream FROM package_groups"
          + " WHERE " + GROUP, canonical, owner, domain, old);
      update(connection, "INSERT INTO package_group_allowed_repositories (domain_owner, domain_name, pattern,"
          + " restriction_type, repository) SELECT domain_owner, domain_name, ?, restriction_type, repository FROM"
          + " package_group_allowed_repositories WHERE " + GROUP, canonical, owner, domain, old);
    }
    update(connection, "DELETE FROM package_group_allowed_repositories WHERE " + GROUP, owner, domain, old);
    update(connection, "DELETE FROM package_groups WHERE " + GROUP, owner, domain, old);
    moveTags(connection, owner, domain, old, canonical, !exists);
  }

  /**
   * Moves (or, when {@code keep} is false, drops) the tags of the group's ARN. The region is not known here; the
   * ARN ends with the same account, domain and encoded pattern whatever the region.
   */
  private static void moveTags(Connection connection, String owner, String domain, String old, String canonical,
      boolean keep) throws SQLException {
    String oldEnd = arnAfterRegion(owner, domain, old);
    List<String> arns = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT DISTINCT resource_arn FROM resource_tags WHERE resource_arn LIKE 'arn:aws:codeartifact:%'");
        ResultSet result = select.executeQuery()) {
      while (result.next()) {
        String arn = result.getString(1);
        if (arn.endsWith(oldEnd) && arn.indexOf(':', "arn:aws:codeartifact:".length()) == arn.length() - oldEnd.length()) {
          arns.add(arn);
        }
      }
    }
    for (String arn : arns) {
      if (keep) {
        String moved = arn.substring(0, arn.length() - oldEnd.length()) + arnAfterRegion(owner, domain, canonical);
        update(connection, "INSERT INTO resource_tags (resource_arn, tag_key, tag_value) SELECT ?, tag_key, tag_value"
            + " FROM resource_tags WHERE resource_arn = ? ON CONFLICT (resource_arn, tag_key) DO NOTHING", moved, arn);
      }
      update(connection, "DELETE FROM resource_tags WHERE resource_arn = ?", arn);
    }
  }

  /** A group's ARN from the colon after its region: {@code :OWNER:package-group/DOMAIN/ENCODED-PATTERN}. */
  private static String arnAfterRegion(String owner, String domain, String pattern) {
    String arn = CodeArtifactArns.packageGroup("region", owner, domain, pattern);
    return arn.substring("arn:aws:codeartifact:region".length());
  }

  private static void update(Connection connection, String sql, String... values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, values);
      statement.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, String... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setString(i + 1, values[i]);
    }
  }
}
