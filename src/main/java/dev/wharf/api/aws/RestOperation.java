package dev.wharf.api.aws;

import dev.wharf.policy.AttachedPolicy;
import java.util.List;
import java.util.Objects;

/**
 * One operation of a rest-json AWS service (CodeArtifact), with what it needs declared at
 * registration: the IAM action and the resource (with its resource policies), or why no policy
 * check applies here.
 */
public record RestOperation(String name, String method, String path, Permission permission, Handler handler) {

  public RestOperation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(permission, "permission of " + name);
    Objects.requireNonNull(handler, "handler");
  }

  /** Returns the response body: a Jackson node, a record/map Jackson can write, or null for {}. */
  @FunctionalInterface
  public interface Handler {
    Object handle(RestRequest request);
  }

  /** What an operation requires before its handler runs. */
  public sealed interface Permission {
    /** An IAM action on a resource named from the request. */
    record PolicyAction(String iamAction, ResourceResolver resource) implements Permission {}

    /** No check by the endpoint layer, and why (e.g. the service checks several actions itself). */
    record NoPolicyCheck(String reason) implements Permission {}
  }

  /** Names the resource: its ARN, the owning account, and the resource policies that apply to it. */
  @FunctionalInterface
  public interface ResourceResolver {
    ProtectedResource resolve(RestRequest request);
  }

  public record ProtectedResource(String arn, String accountId, List<AttachedPolicy> policies) {
    public ProtectedResource {
      policies = List.copyOf(policies);
    }
  }
}
