package dev.wharf.format;

import dev.wharf.api.http.Exchange;
import dev.wharf.token.AuthorizationToken;

/**
 * One package request as a route's handler sees it: the exchange, the repository it is addressed
 * to, and the token it was authorized with. Only a route whose need is decided by the body
 * authorizes here ({@link #authorize}); every other route is authorized before its handler runs.
 */
public final class PackageCall {
  private final Exchange exchange;
  private final RepositoryPath repository;
  private final String credential;
  private final java.util.Optional<String> publicUrl;
  private final RepositoryAuthorizer authorizer;
  private AuthorizationToken token;
  private boolean admitted;

  PackageCall(Exchange exchange, RepositoryPath repository, String credential, java.util.Optional<String> publicUrl,
      RepositoryAuthorizer authorizer) {
    // one per request, made only by RepositoryEndpoints
    this.exchange = exchange;
    this.repository = repository;
    this.credential = credential;
    this.publicUrl = publicUrl;
    this.authorizer = authorizer;
  }

  public Exchange exchange() {
    return exchange;
  }

  /** The repository (and the path below it) the request is addressed to. */
  public RepositoryPath repository() {
    return repository;
  }

  /** The repository, as a format's registry addresses it. */
  public RepositoryLocation location() {
    return new RepositoryLocation(repository.domainOwner(), repository.domainName(), repository.repository());
  }

  /**
   * The repository endpoint as the client reaches it (or the public URL), ending in '/'. Made when asked
   * for: a file download never needs it.
   */
  public String endpoint() {
    return repository.endpoint(publicUrl.orElseGet(exchange::origin));
  }

  /** The token the request was authorized with. */
  public AuthorizationToken token() {
    if (token == null) {
      throw new IllegalStateException("the request is not authorized yet");
    }
    return token;
  }

  /**
   * Authorizes {@code action} on the package (or on the repository when {@code subject} is null),
   * audited, for routes whose body decides what they need.
   *
   * @throws dev.wharf.error.WharfException when refused (401, 403, or 404 for no such repository)
   */
  public AuthorizationToken authorize(PackageAction action, PackageRef subject) {
    token = authorizer.require(this, action, subject);
    return token;
  }

  /** The credential the request carries (for the authorizer). */
  String credential() {
    return credential;
  }

  /**
   * True the first time it is asked, false after: the request limits admit a request once, at its first
   * authorization, however many decisions it needs.
   */
  boolean admitOnce() {
    if (admitted) {
      return false;
    }
    admitted = true;
    return true;
  }

  /** Whether a decision allowed this request (a success may be answered). */
  boolean authorized() {
    return token != null;
  }

  /**
   * The checks before a body-decided route reads its body: the caller may do one of its actions on the package the
   * path names, or, when only the body names it, holds a valid token for an existing repository and might do one
   * of them on some package of the format there (a token that may publish nothing is refused before a byte of the
   * upload is read).
   */
  void precheck(Need.DecidedByBody<?> need, PackageRef subject) {
    PackageAction first = need.actions().getFirst();
    if (subject != null) {
      if (!authorizer.mayAnyOf(this, subject, need.actions())) {
        authorize(first, subject); // refused: audited and answered
      }
    } else if (!authorizer.reachable(this, first)) {
      authorize(first, null); // an invalid token or no such repository: audited and answered
    } else {
      authorizer.requireAnyPackage(this, need.actions());
    }
  }
}
