package dev.wharf.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.GetAuthorizationTokenResponse;

/** The domain a token is asked for: the options {@code wharf login}, {@code get-authorization-token} and {@code exec} share. */
final class DomainOptions {
  @Option(names = "--domain", required = true, description = "The domain the token is for.")
  String domain;

  @Option(names = "--domain-owner", description = "The account that owns the domain (default: the caller's).")
  String domainOwner;

  /** GetAuthorizationToken for this domain; a null duration leaves the lifetime to the server. */
  GetAuthorizationTokenResponse authorizationToken(CodeartifactClient client, Long durationSeconds) {
    return client.getAuthorizationToken(b -> b.domain(domain).domainOwner(domainOwner).durationSeconds(durationSeconds));
  }

  /** GetRepositoryEndpoint of {@code repository} in this domain, for {@code format}. */
  String repositoryEndpoint(CodeartifactClient client, String repository, String format) {
    return client.getRepositoryEndpoint(b -> b.domain(domain).domainOwner(domainOwner).repository(repository)
        .format(format)).repositoryEndpoint();
  }

  /** --domain, and --domain-owner when given: the domain a rerun of a command names. */
  List<String> arguments() {
    List<String> arguments = new ArrayList<>(List.of("--domain", domain));
    if (domainOwner != null) {
      arguments.addAll(List.of("--domain-owner", domainOwner));
    }
    return arguments;
  }

  /** {@code --duration-seconds} as {@code wharf login} and {@code exec} take it. */
  static final class TokenLifetime {
    @Option(names = "--duration-seconds", description = "Token lifetime: 900..43200 (default 43200).")
    Long durationSeconds;

    /** --duration-seconds when given: the lifetime a rerun of a command asks for. */
    List<String> arguments() {
      return durationSeconds == null ? List.of() : List.of("--duration-seconds", durationSeconds.toString());
    }

    /** The seconds a refresh is planned by: the default 43200 when none (or 0) is given. */
    long plannedSeconds() {
      return durationSeconds == null || durationSeconds == 0 ? 43200 : durationSeconds;
    }
  }
}
