package dev.wharf.catalog;

import java.time.Instant;
import java.util.List;

/** A repository in a domain, with its ordered upstream repositories (same domain). */
public record Repository(
    String domainOwner,
    String domainName,
    String name,
    String arn,
    String administratorAccount,
    String description,
    List<String> upstreams,
    Instant createdAt) {
  public Repository {
    upstreams = List.copyOf(upstreams);
  }
}
