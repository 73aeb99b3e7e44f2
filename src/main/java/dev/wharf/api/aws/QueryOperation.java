package dev.wharf.api.aws;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action of the query protocol, with what it needs declared at registration: the IAM action
 * and how to name the resource, or an explicit statement of why no policy check applies.
 */
public record QueryOperation(String service, String action, Permission permission, Handler handler) {

  public QueryOperation {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(permission, "permission of " + action);
    Objects.requireNonNull(handler, "handler");
  }

  /** Renders the operation's result members into the response. */
  @FunctionalInterface
  public interface Handler {
    void handle(QueryRequest request, XmlBuilder result);
  }

  /** What a route requires before its handler runs. */
  public sealed interface Permission {
    /** An IAM action on a resource in an account, both derived from the request. */
    record PolicyAction(String iamAction, ResourceResolver resource) implements Permission {}

    /** No policy check here, with the reason (e.g. GetCallerIdentity, or checked inside the service). */
    record NoPolicyCheck(String reason) implements Permission {}

    /**
     * Neither signed nor policy-checked, with the reason: the request proves itself (as AWS answers
     * AssumeRoleWithWebIdentity unsigned). The handler sees no principal.
     */
    record Unsigned(String reason) implements Permission {}
  }

  /** Names the resource an action applies to: its ARN and owning account. */
  @FunctionalInterface
  public interface ResourceResolver {
    Resource resolve(QueryRequest request);
  }

  /**
   * The resource with its condition keys, and the IAM actions the request also needs on it beside the
   * operation's own (as AWS asks for iam:TagUser when CreateUser passes tags).
   */
  public record Resource(String arn, String accountId, Map<String, List<String>> context, List<String> alsoRequired) {
    public Resource {
      context = Map.copyOf(context);
      alsoRequired = List.copyOf(alsoRequired);
    }

    public Resource(String arn, String accountId, Map<String, List<String>> context) {
      this(arn, accountId, context, List.of());
    }

    /** A resource whose decisions need no condition keys of its own. */
    public Resource(String arn, String accountId) {
      this(arn, accountId, Map.of());
    }

    /** This resource, on which the request also needs {@code iamAction}. */
    public Resource alsoRequiring(String iamAction) {
      List<String> actions = new java.util.ArrayList<>(alsoRequired);
      actions.add(iamAction);
      return new Resource(arn, accountId, context, actions);
    }
  }
}
