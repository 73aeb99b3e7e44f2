package dev.wharf.cli;

import picocli.CommandLine.Option;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.GetAuthorizationTokenResponse;

/** The domain a token is asked for: the options {@code wharf get-authorization-token} and {@code wharf exec} share. */
final class DomainOptions {
  @Option(names = "--domain", required = true, description = "The domain the token is for.")
  String domain;

  @Option(names = "--domain-owner", description = "The account that owns the domain (default: the caller's).")
  String domainOwner;

  /** GetAuthorizationToken for this domain; a null duration leaves the lifetime to the server. */
  GetAuthorizationTokenResponse authorizationToken(CodeartifactClient client, Long durationSeconds) {
    return client.getAuthorizationToken(b -> b.domain(domain).domainOwner(domainOwner).durationSeconds(durationSeconds));
  }
}
