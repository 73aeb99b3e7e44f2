package dev.wharf.api.aws;

import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import java.util.Objects;

/**
 * Who calls an AWS operation from inside the server (the web console, for its signed-in principal),
 * without a signed request: the principal, where its request came from, its id, and the origin the
 * server was reached at. {@link RestJsonEndpoints#call} and {@link AwsQueryEndpoints#call} run the
 * operation for it along the path a signed request takes once its signature is checked.
 */
public record Caller(Principal principal, PermissionService.RequestOrigin origin, String requestId,
    String serverOrigin) {
  public Caller {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(serverOrigin, "serverOrigin");
  }
}
