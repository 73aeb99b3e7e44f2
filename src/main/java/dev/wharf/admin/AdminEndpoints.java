package dev.wharf.admin;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Permission;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.crypto.RandomIds;
import dev.wharf.error.WharfException;
import dev.wharf.identity.IdentityService;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wharf's own administrative actions, in the query protocol under the signing name {@code wharf}.
 * CreateAccount is granted by the management account (its root user, or whoever its policies allow
 * {@code wharf:CreateAccount}); other accounts are refused as any cross-account call without a grant.
 */
public final class AdminEndpoints {
  private final IdentityService identity;
  private final Supplier<String> managementAccountId;

  public AdminEndpoints(IdentityService identity, Supplier<String> managementAccountId) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.managementAccountId = Objects.requireNonNull(managementAccountId, "managementAccountId");
  }

  public List<QueryOperation> operations() {
    return List.of(new QueryOperation("wharf", "CreateAccount",
        new Permission.PolicyAction("wharf:CreateAccount",
            r -> new Resource("arn:aws:wharf::" + managementAccountId.get() + ":account/*", managementAccountId.get())),
        (r, x) -> {
          String name = r.optional("AccountName");
          if (name != null && (name.isBlank() || name.length() > 50)) {
            throw new WharfException.Invalid("ValidationError", "AccountName must be 1 to 50 characters");
          }
          String accountId = r.optional("AccountId");
          if (accountId != null && !accountId.matches("[0-9]{12}")) {
            throw new WharfException.Invalid("ValidationError", "AccountId must be 12 digits");
          }
          String id = accountId != null ? accountId : RandomIds.accountId();
          IdentityService.NewAccessKey key = identity.createAccount(id, name == null ? id : name, false);
          x.text("AccountId", id).text("AccessKeyId", key.key().accessKeyId())
              .text("SecretAccessKey", key.secretAccessKey());
        }));
  }
}
