package dev.wharf.api.aws;

import dev.wharf.audit.AuditLog;
import dev.wharf.identity.Principal;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.Decision;
import dev.wharf.identity.PermissionService;
import java.util.List;
import java.util.Map;

/** The policy check both AWS protocols make before an operation's handler runs, recorded in its audit entry. */
final class PolicyCheck {
  private PolicyCheck() {}

  /**
   * Asks the policies whether the principal may do {@code iamAction} on the resource; the audit entry
   * records the action, the resource and what decided.
   *
   * @throws dev.wharf.error.WharfException.AccessDenied when the policies deny it
   */
  static void require(PermissionService permissions, AuditLog.Entry entry, Principal principal,
      PermissionService.RequestOrigin origin, String iamAction, String arn, String accountId,
      List<AttachedPolicy> resourcePolicies, Map<String, List<String>> context) {
    entry.action(iamAction).resource(arn, accountId);
    Decision decision = permissions.authorize(principal, origin, iamAction, arn, accountId, resourcePolicies, context);
    entry.decision(decision);
    if (!decision.allowed()) {
      throw PermissionService.denied(principal, iamAction, arn, decision);
    }
  }

  /**
   * Requires {@code iamAction} and each action of {@code alsoRequired} on the same resource (as AWS requires
   * e.g. codeartifact:TagResource for a create with tags); the audit entry then names {@code iamAction}.
   */
  static void requireAll(PermissionService permissions, AuditLog.Entry entry, Principal principal,
      PermissionService.RequestOrigin origin, String iamAction, List<String> alsoRequired, String arn,
      String accountId, List<AttachedPolicy> resourcePolicies, Map<String, List<String>> context) {
    require(permissions, entry, principal, origin, iamAction, arn, accountId, resourcePolicies, context);
    for (String also : alsoRequired) {
      require(permissions, entry, principal, origin, also, arn, accountId, resourcePolicies, context);
    }
    entry.action(iamAction);
  }
}
