package dev.wharf.api.aws;

import dev.wharf.policy.AttachedPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of a rest-json AWS service (CodeArtifact), with what it needs declared at
 * registration: the IAM action and the resource (with its resource policies), or why no policy
 * check applies here.
 */
public record RestOperation(String name, String method, String path, Permission permission, Handler handler,
    Payload payload) {

  public RestOperation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(permission, "permission of " + name);
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(payload, "payload");
  }

  /** An operation whose request body, if any, is a JSON object. */
  public RestOperation(String name, String method, String path, Permission permission, Handler handler) {
    this(name, method, path, permission, handler, Payload.JSON);
  }

  /** How the request body reaches the handler. */
  public sealed interface Payload {
    Payload JSON = new Json();

    /** A small JSON object, read whole and hashed for the signature before anything else happens. */
    record Json() implements Payload {}

    /**
     * Raw bytes (e.g. a package asset, CodeArtifact's {@code assetContent}), streamed to the handler
     * through {@link RestRequest#payload()} and never held in memory. Their SHA-256 is declared in
     * {@code x-amz-content-sha256}: the signature is checked over that declaration before the body is
     * read, so authentication and authorization happen first, and the handler must refuse content that
     * does not match it ({@link StreamedPayload#declaredSha256()}) without keeping any of it.
     *
     * @param maxBytes the largest body accepted
     */
    record Streamed(long maxBytes) implements Payload {
      public Streamed {
        if (maxBytes < 0) {
          throw new IllegalArgumentException("maxBytes must not be negative");
        }
      }
    }
  }

  /**
   * Returns the response body: a Jackson node, a record/map Jackson can write, null for {}, or a
   * {@link StreamedResponse} whose content is streamed as is.
   */
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

  /**
   * The resource with its policies and condition keys, and the IAM actions the request also needs on it beside
   * the operation's own (as AWS asks for codeartifact:TagResource when CreateRepository passes tags).
   */
  public record ProtectedResource(String arn, String accountId, List<AttachedPolicy> policies,
      Map<String, List<String>> context, List<String> alsoRequired) {
    public ProtectedResource {
      policies = List.copyOf(policies);
      context = Map.copyOf(context);
      alsoRequired = List.copyOf(alsoRequired);
    }

    public ProtectedResource(String arn, String accountId, List<AttachedPolicy> policies,
        Map<String, List<String>> context) {
      this(arn, accountId, policies, context, List.of());
    }

    /** A resource whose decisions need no condition keys of its own. */
    public ProtectedResource(String arn, String accountId, List<AttachedPolicy> policies) {
      this(arn, accountId, policies, Map.of());
    }

    /** This resource, on which the request also needs {@code iamAction}. */
    public ProtectedResource alsoRequiring(String iamAction) {
      List<String> actions = new java.util.ArrayList<>(alsoRequired);
      actions.add(iamAction);
      return new ProtectedResource(arn, accountId, policies, context, actions);
    }
  }
}
