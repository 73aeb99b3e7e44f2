package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Permission;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.api.aws.QueryRequest;
import dev.wharf.api.aws.XmlBuilder;
import dev.wharf.error.WharfException;
import dev.wharf.identity.AccessKey;
import dev.wharf.identity.IamArns;
import dev.wharf.identity.IamGroup;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.LoginProfile;
import dev.wharf.identity.ManagedPolicy;
import dev.wharf.identity.PasswordPolicy;
import dev.wharf.identity.PolicyVersion;
import dev.wharf.identity.Principal;
import dev.wharf.identity.PrincipalType;
import dev.wharf.identity.Role;
import dev.wharf.identity.Tag;
import dev.wharf.identity.TaggedEntity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/** IAM's query-protocol actions: parse parameters, call {@link IdentityService}, render AWS's XML. */
public final class IamEndpoints {
  private static final String IAM = "iam";

  private final IdentityService identity;
  private final IdentityStore store;

  public IamEndpoints(IdentityService identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.store = identity.store();
  }

  public List<QueryOperation> operations() {
    List<QueryOperation> ops = new ArrayList<>();
    // users
    ops.add(op("CreateUser", creating(TaggedEntity.USER, r -> userResource(r, r.required("UserName"), r.optional("Path"))),
        (r, x) -> {
      IamUser user = identity.createUser(r.principal().accountId(), r.required("UserName"), r.optional("Path"),
          r.optional("PermissionsBoundary"), tags(r));
      x.element("User", u -> userDetails(u, user));
    }));
    ops.add(op("GetUser", r -> userResource(r, targetUser(r), null), (r, x) -> {
      String name = targetUser(r);
      if (name == null) {
        var account = identity.findAccount(r.principal().accountId()).orElseThrow();
        x.element("User", u -> u.text("UserId", account.accountId()).text("Arn", IamArns.root(account.accountId()))
            .text("CreateDate", account.createdAt()));
      } else {
        IamUser user = identity.getUser(r.principal().accountId(), name);
        x.element("User", u -> userDetails(u, user));
      }
    }));
    ops.add(op("ListUsers", r -> accountResource(r, "user/*"), (r, x) -> {
      page(r, x, "Users", identity.listUsers(r.principal().accountId(), r.optional("PathPrefix")),
          (m, user) -> user(m, user));
    }));
    ops.add(op("DeleteUser", r -> userResource(r, r.required("UserName"), null), (r, x) ->
        identity.deleteUser(r.principal().accountId(), r.required("UserName"))));
    ops.add(op("UpdateUser", r -> userResource(r, r.required("UserName"), null), (r, x) ->
        identity.updateUser(r.principal().accountId(), r.required("UserName"), r.optional("NewUserName"),
            r.optional("NewPath"))));
    // access keys
    ops.add(op("CreateAccessKey", r -> userResource(r, targetUser(r), null), (r, x) -> {
      IdentityService.NewAccessKey created = identity.createAccessKey(r.principal().accountId(), targetUser(r));
      x.element("AccessKey", k -> k.text("UserName", created.key().userName())
          .text("AccessKeyId", created.key().accessKeyId()).text("Status", created.key().status().name())
          .text("SecretAccessKey", created.secretAccessKey()).text("CreateDate", created.key().createdAt()));
    }));
    ops.add(op("ListAccessKeys", r -> userResource(r, targetUser(r), null), (r, x) -> {
      page(r, x, "AccessKeyMetadata", identity.listAccessKeys(r.principal().accountId(), targetUser(r)),
          IamEndpoints::accessKey);
      if (targetUser(r) != null) {
        x.text("UserName", identity.getUser(r.principal().accountId(), targetUser(r)).userName());
      }
    }));
    ops.add(op("UpdateAccessKey", r -> userResource(r, targetUser(r), null), (r, x) ->
        identity.updateAccessKey(r.principal().accountId(), targetUser(r), r.required("AccessKeyId"), r.required("Status"))));
    ops.add(op("DeleteAccessKey", r -> userResource(r, targetUser(r), null), (r, x) ->
        identity.deleteAccessKey(r.principal().accountId(), targetUser(r), r.required("AccessKeyId"))));
    // Authorized on the key's owner; a key the account does not have is checked against user/* (then NoSuchEntity).
    ops.add(op("GetAccessKeyLastUsed", r -> identity.findAccessKey(r.principal().accountId(), r.required("AccessKeyId"))
        .map(key -> userResource(r, key.userName(), null)).orElseGet(() -> accountResource(r, "user/*")), (r, x) -> {
          IdentityService.KeyLastUsed lastUsed = identity.accessKeyLastUsed(r.principal().accountId(),
              r.required("AccessKeyId"));
          if (lastUsed.userName() != null) {
            x.text("UserName", lastUsed.userName());
          }
          x.element("AccessKeyLastUsed", u -> {
            lastUsed.use().ifPresent(use -> u.text("LastUsedDate", use.at()));
            u.text("ServiceName", lastUsed.use().map(IdentityStore.AccessKeyUse::service).orElse("N/A"))
                .text("Region", lastUsed.use().map(IdentityStore.AccessKeyUse::region).orElse("N/A"));
          });
        }));
    // inline policies
    for (PrincipalType type : PrincipalType.values()) {
      String kind = type.operationName();
      QueryOperation.ResourceResolver resource = r -> entityResource(r, type);
      ops.add(op("Put" + kind + "Policy", resource, (r, x) -> identity.putInlinePolicy(r.principal().accountId(), type,
          r.required(kind + "Name"), r.required("PolicyName"), r.required("PolicyDocument"))));
      ops.add(op("Get" + kind + "Policy", resource, (r, x) -> {
        IdentityStore.InlinePolicy policy = identity.getInlinePolicy(r.principal().accountId(), type,
            r.required(kind + "Name"), r.required("PolicyName"));
        String entityName = entityName(r, type);
        x.text(kind + "Name", entityName).text("PolicyName", policy.policyName())
            .text("PolicyDocument", encodeDocument(policy.document()));
      }));
      ops.add(op("List" + kind + "Policies", resource, (r, x) ->
          pageOf(r, x, "PolicyNames", identity.listInlinePolicies(r.principal().accountId(), type, r.required(kind + "Name")),
              (m, p) -> m.text("member", p.policyName()))));
      ops.add(op("Delete" + kind + "Policy", resource, (r, x) -> identity.deleteInlinePolicy(r.principal().accountId(), type,
          r.required(kind + "Name"), r.required("PolicyName"))));
    }
    // roles
    ops.add(op("CreateRole", creating(TaggedEntity.ROLE, r -> roleResource(r, r.required("RoleName"), r.optional("Path"))),
        (r, x) -> {
      Role role = identity.createRole(r.principal().accountId(), r.required("RoleName"), r.optional("Path"),
          r.required("AssumeRolePolicyDocument"), r.optionalInt("MaxSessionDuration"), r.optional("Description"),
          r.optional("PermissionsBoundary"), tags(r));
      x.element("Role", e -> roleDetails(e, role));
    }));
    ops.add(op("GetRole", r -> roleResource(r, r.required("RoleName"), null), (r, x) -> {
      Role role = identity.getRole(r.principal().accountId(), r.required("RoleName"));
      x.element("Role", e -> roleDetails(e, role));
    }));
    ops.add(op("UpdateRole", r -> roleResource(r, r.required("RoleName"), null), (r, x) ->
        identity.updateRole(r.principal().accountId(), r.required("RoleName"), r.optionalInt("MaxSessionDuration"),
            r.optional("Description") != null, r.optional("Description"))));
    ops.add(op("UpdateRoleDescription", r -> roleResource(r, r.required("RoleName"), null), (r, x) -> {
      String description = r.optional("Description");
      if (description == null) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value null at"
            + " 'description' failed to satisfy constraint: Member must not be null");
      }
      Role role = identity.updateRole(r.principal().accountId(), r.required("RoleName"), null, true, description);
      x.element("Role", e -> roleDetails(e, role));
    }));
    ops.add(op("UpdateAssumeRolePolicy", r -> roleResource(r, r.required("RoleName"), null), (r, x) ->
        identity.updateAssumeRolePolicy(r.principal().accountId(), r.required("RoleName"), r.required("PolicyDocument"))));
    ops.add(op("ListRoles", r -> accountResource(r, "role/*"), (r, x) ->
        page(r, x, "Roles", identity.listRoles(r.principal().accountId(), r.optional("PathPrefix")),
            IamEndpoints::role)));
    ops.add(op("DeleteRole", r -> roleResource(r, r.required("RoleName"), null), (r, x) ->
        identity.deleteRole(r.principal().accountId(), r.required("RoleName"))));
    // managed policies
    ops.add(op("CreatePolicy", creating(TaggedEntity.POLICY, r -> new Resource(IamArns.policy(r.principal().accountId(),
        r.optional("Path") == null ? "/" : r.optional("Path"), r.required("PolicyName")), r.principal().accountId())), (r, x) -> {
      ManagedPolicy policy = identity.createPolicy(r.principal().accountId(), r.required("PolicyName"), r.optional("Path"),
          r.required("PolicyDocument"), r.optional("Description"), tags(r));
      x.element("Policy", p -> policyDetails(p, policy));
    }));
    ops.add(op("ListEntitiesForPolicy", this::policyResource, (r, x) -> {
      List<IdentityStore.PolicyEntity> entities = identity.listEntitiesForPolicy(r.principal().accountId(),
          r.required("PolicyArn"), r.optional("EntityFilter"), r.optional("PathPrefix"), r.optional("PolicyUsageFilter"));
      // One page over all three lists, in IAM's order: groups, users, roles.
      List<IdentityStore.PolicyEntity> ordered = new ArrayList<>();
      for (PrincipalType type : List.of(PrincipalType.GROUP, PrincipalType.USER, PrincipalType.ROLE)) {
        entities.stream().filter(e -> e.type() == type).forEach(ordered::add);
      }
      Page<IdentityStore.PolicyEntity> page = Page.of(r, ordered);
      for (PrincipalType type : List.of(PrincipalType.GROUP, PrincipalType.USER, PrincipalType.ROLE)) {
        String kind = type.operationName();
        x.element("Policy" + kind + "s", list -> page.items().stream().filter(e -> e.type() == type).forEach(e ->
            list.element("member", m -> m.text(kind + "Name", e.name()).text(kind + "Id", e.id()))));
      }
      page.writeTruncation(x);
    }));
    ops.add(op("GetPolicy", this::policyResource, (r, x) -> {
      ManagedPolicy policy = identity.getPolicy(r.principal().accountId(), r.required("PolicyArn"));
      x.element("Policy", p -> policyDetails(p, policy));
    }));
    ops.add(op("ListPolicies", r -> accountResource(r, "policy/*"), (r, x) ->
        page(r, x, "Policies", identity.listPolicies(r.principal().accountId(), r.optional("Scope"),
            r.optionalBoolean("OnlyAttached"), r.optional("PathPrefix")), IamEndpoints::policy)));
    ops.add(op("DeletePolicy", this::policyResource, (r, x) ->
        identity.deletePolicy(r.principal().accountId(), r.required("PolicyArn"))));
    for (PrincipalType type : PrincipalType.values()) {
      String kind = type.operationName();
      QueryOperation.ResourceResolver resource = r -> entityResource(r, type);
      // iam:PolicyARN lets a policy say which managed policies may (not) be attached, as in AWS.
      QueryOperation.ResourceResolver withPolicyArn = r -> {
        Resource principal = resource.resolve(r);
        return new Resource(principal.arn(), principal.accountId(),
            java.util.Map.of("iam:PolicyARN", List.of(r.required("PolicyArn"))));
      };
      ops.add(op("Attach" + kind + "Policy", withPolicyArn, (r, x) ->
          identity.attachPolicy(r.principal().accountId(), type, r.required(kind + "Name"), r.required("PolicyArn"))));
      ops.add(op("Detach" + kind + "Policy", withPolicyArn, (r, x) ->
          identity.detachPolicy(r.principal().accountId(), type, r.required(kind + "Name"), r.required("PolicyArn"))));
      ops.add(op("ListAttached" + kind + "Policies", resource, (r, x) ->
          page(r, x, "AttachedPolicies", identity.listAttachedPolicies(r.principal().accountId(), type,
              r.required(kind + "Name")), (m, p) -> m.text("PolicyName", p.policyName()).text("PolicyArn", p.arn()))));
      // permissions boundaries; iam:PermissionsBoundary lets a policy say which boundary must (not) be set
      ops.add(op("Put" + kind + "PermissionsBoundary", withRequest(resource), (r, x) ->
          identity.putPermissionsBoundary(r.principal().accountId(), type, r.required(kind + "Name"),
              r.required("PermissionsBoundary"))));
      ops.add(op("Delete" + kind + "PermissionsBoundary", resource, (r, x) ->
          identity.deletePermissionsBoundary(r.principal().accountId(), type, r.required(kind + "Name"))));
    }
    // tags of users, roles, managed policies and OpenID Connect providers
    for (TaggedEntity entity : TaggedEntity.values()) {
      String kind = entity.operationName();
      String nameParameter = switch (entity) {
        case USER, ROLE -> kind + "Name";
        case POLICY, OIDC_PROVIDER -> kind + "Arn";
      };
      QueryOperation.ResourceResolver resource = switch (entity) {
        case USER -> r -> userResource(r, r.required("UserName"), null);
        case ROLE -> r -> roleResource(r, r.required("RoleName"), null);
        case POLICY -> this::policyResource;
        case OIDC_PROVIDER -> r -> oidcProviderResource(store, r);
      };
      ops.add(op("Tag" + kind, withRequest(resource), (r, x) ->
          identity.tag(r.principal().accountId(), entity, r.required(nameParameter), requiredTags(r))));
      ops.add(op("Untag" + kind, withRequest(resource), (r, x) ->
          identity.untag(r.principal().accountId(), entity, r.required(nameParameter), r.members("TagKeys"))));
      ops.add(op("List" + kind + "Tags", resource, (r, x) ->
          pageOf(r, x, "Tags", identity.listTags(r.principal().accountId(), entity, r.required(nameParameter)),
              (m, tag) -> m.element("member", e -> tag(e, tag)))));
    }
    groupOperations(ops);
    policyVersionOperations(ops);
    passwordOperations(ops);
    return List.copyOf(ops);
  }

  /** Console passwords (login profiles), ChangePassword and the account password policy. */
  private void passwordOperations(List<QueryOperation> ops) {
    ops.add(op("CreateLoginProfile", r -> userResource(r, loginProfileUser(r), null), (r, x) -> {
      LoginProfile profile = identity.createLoginProfile(r.principal().accountId(), loginProfileUser(r),
          r.required("Password"), r.optionalBoolean("PasswordResetRequired"));
      x.element("LoginProfile", p -> loginProfile(p, profile));
    }));
    ops.add(op("GetLoginProfile", r -> userResource(r, loginProfileUser(r), null), (r, x) -> {
      LoginProfile profile = identity.getLoginProfile(r.principal().accountId(), loginProfileUser(r));
      x.element("LoginProfile", p -> loginProfile(p, profile));
    }));
    ops.add(op("UpdateLoginProfile", r -> userResource(r, r.required("UserName"), null), (r, x) ->
        identity.updateLoginProfile(r.principal().accountId(), r.required("UserName"), r.optional("Password"),
            r.optional("PasswordResetRequired") == null ? null : r.optionalBoolean("PasswordResetRequired"))));
    ops.add(op("DeleteLoginProfile", r -> userResource(r, loginProfileUser(r), null), (r, x) ->
        identity.deleteLoginProfile(r.principal().accountId(), loginProfileUser(r))));
    // On the caller's own ARN: ChangePassword changes no one else's password.
    ops.add(op("ChangePassword", r -> r.principal() instanceof Principal.User user
        ? userResource(r, user.userName(), null) : new Resource(r.principal().arn(), r.principal().accountId()),
        (r, x) -> {
          if (!(r.principal() instanceof Principal.User user)) {
            throw new WharfException.Invalid("InvalidUserType",
                "Only an IAM user can change its own password with ChangePassword.");
          }
          identity.changePassword(user, r.required("OldPassword"), r.required("NewPassword"));
        }));
    // The password policy is no resource of its own: IAM authorizes these actions on "*".
    QueryOperation.ResourceResolver anyResource = r -> new Resource("*", r.principal().accountId());
    ops.add(op("UpdateAccountPasswordPolicy", anyResource, (r, x) ->
        identity.updateAccountPasswordPolicy(r.principal().accountId(), new IdentityService.PasswordPolicyUpdate(
            r.optionalInt("MinimumPasswordLength"), r.optionalBoolean("RequireSymbols"),
            r.optionalBoolean("RequireNumbers"), r.optionalBoolean("RequireUppercaseCharacters"),
            r.optionalBoolean("RequireLowercaseCharacters"), r.optionalBoolean("AllowUsersToChangePassword"),
            r.optionalInt("MaxPasswordAge"), r.optionalInt("PasswordReusePrevention"),
            r.optionalBoolean("HardExpiry")))));
    ops.add(op("GetAccountPasswordPolicy", anyResource, (r, x) -> {
      PasswordPolicy policy = identity.getAccountPasswordPolicy(r.principal().accountId());
      x.element("PasswordPolicy", p -> p.text("MinimumPasswordLength", policy.minimumPasswordLength())
          .text("RequireSymbols", policy.requireSymbols()).text("RequireNumbers", policy.requireNumbers())
          .text("RequireUppercaseCharacters", policy.requireUppercaseCharacters())
          .text("RequireLowercaseCharacters", policy.requireLowercaseCharacters())
          .text("AllowUsersToChangePassword", policy.allowUsersToChangePassword())
          .text("ExpirePasswords", policy.expirePasswords())
          .text("MaxPasswordAge", policy.expirePasswords() ? policy.maxPasswordAge() : null)
          .text("PasswordReusePrevention", policy.passwordReusePrevention() > 0 ? policy.passwordReusePrevention() : null)
          .text("HardExpiry", policy.hardExpiry()));
    }));
    ops.add(op("DeleteAccountPasswordPolicy", anyResource, (r, x) ->
        identity.deleteAccountPasswordPolicy(r.principal().accountId())));
  }

  /**
   * The user a login-profile call is about: the parameter, else the calling user itself. The root user must name
   * one (AWS lets it omit the name only in an AssumeRoot session, which Wharf does not have).
   */
  private static String loginProfileUser(QueryRequest r) {
    String name = r.optional("UserName");
    if (name != null) {
      return name;
    }
    if (r.principal() instanceof Principal.User user) {
      return user.userName();
    }
    throw mustNameUser();
  }

  private static void loginProfile(XmlBuilder x, LoginProfile profile) {
    x.text("UserName", profile.userName()).text("CreateDate", profile.createdAt())
        .text("PasswordResetRequired", profile.passwordResetRequired());
  }

  private void groupOperations(List<QueryOperation> ops) {
    ops.add(op("CreateGroup", r -> groupResource(r, r.required("GroupName"), r.optional("Path")), (r, x) -> {
      IamGroup group = identity.createGroup(r.principal().accountId(), r.required("GroupName"), r.optional("Path"));
      x.element("Group", g -> group(g, group));
    }));
    ops.add(op("GetGroup", r -> groupResource(r, r.required("GroupName"), null), (r, x) -> {
      IamGroup group = identity.getGroup(r.principal().accountId(), r.required("GroupName"));
      x.element("Group", g -> group(g, group));
      page(r, x, "Users", identity.listGroupMembers(r.principal().accountId(), group.groupName()), IamEndpoints::user);
    }));
    ops.add(op("ListGroups", r -> accountResource(r, "group/*"), (r, x) ->
        page(r, x, "Groups", identity.listGroups(r.principal().accountId(), r.optional("PathPrefix")),
            IamEndpoints::group)));
    ops.add(op("UpdateGroup", r -> groupResource(r, r.required("GroupName"), null), (r, x) ->
        identity.updateGroup(r.principal().accountId(), r.required("GroupName"), r.optional("NewGroupName"),
            r.optional("NewPath"))));
    ops.add(op("DeleteGroup", r -> groupResource(r, r.required("GroupName"), null), (r, x) ->
        identity.deleteGroup(r.principal().accountId(), r.required("GroupName"))));
    ops.add(op("AddUserToGroup", r -> groupResource(r, r.required("GroupName"), null), (r, x) ->
        identity.addUserToGroup(r.principal().accountId(), r.required("GroupName"), r.required("UserName"))));
    ops.add(op("RemoveUserFromGroup", r -> groupResource(r, r.required("GroupName"), null), (r, x) ->
        identity.removeUserFromGroup(r.principal().accountId(), r.required("GroupName"), r.required("UserName"))));
    ops.add(op("ListGroupsForUser", r -> userResource(r, r.required("UserName"), null), (r, x) ->
        page(r, x, "Groups", identity.listGroupsForUser(r.principal().accountId(), r.required("UserName")),
            IamEndpoints::group)));
  }

  private void policyVersionOperations(List<QueryOperation> ops) {
    ops.add(op("CreatePolicyVersion", this::policyResource, (r, x) -> {
      PolicyVersion version = identity.createPolicyVersion(r.principal().accountId(), r.required("PolicyArn"),
          r.required("PolicyDocument"), r.optionalBoolean("SetAsDefault"));
      x.element("PolicyVersion", v -> v.text("VersionId", version.versionId())
          .text("IsDefaultVersion", version.defaultVersion()).text("CreateDate", version.createdAt()));
    }));
    ops.add(op("GetPolicyVersion", this::policyResource, (r, x) -> {
      PolicyVersion version = identity.getPolicyVersion(r.principal().accountId(), r.required("PolicyArn"),
          r.required("VersionId"));
      x.element("PolicyVersion", v -> v.text("Document", encodeDocument(version.document()))
          .text("VersionId", version.versionId()).text("IsDefaultVersion", version.defaultVersion())
          .text("CreateDate", version.createdAt()));
    }));
    ops.add(op("ListPolicyVersions", this::policyResource, (r, x) ->
        page(r, x, "Versions", identity.listPolicyVersions(r.principal().accountId(), r.required("PolicyArn")),
            (v, version) -> v.text("VersionId", version.versionId()).text("IsDefaultVersion", version.defaultVersion())
                .text("CreateDate", version.createdAt()))));
    ops.add(op("DeletePolicyVersion", this::policyResource, (r, x) ->
        identity.deletePolicyVersion(r.principal().accountId(), r.required("PolicyArn"), r.required("VersionId"))));
    ops.add(op("SetDefaultPolicyVersion", this::policyResource, (r, x) ->
        identity.setDefaultPolicyVersion(r.principal().accountId(), r.required("PolicyArn"), r.required("VersionId"))));
  }

  /** The user, group or role a policy operation is about, under its ARN. */
  private Resource entityResource(QueryRequest r, PrincipalType type) {
    String name = r.required(type.operationName() + "Name");
    return switch (type) {
      case USER -> userResource(r, name, null);
      case ROLE -> roleResource(r, name, null);
      case GROUP -> groupResource(r, name, null);
    };
  }

  /** The entity's name as stored (names match regardless of case); NoSuchEntity when absent. */
  private String entityName(QueryRequest r, PrincipalType type) {
    String account = r.principal().accountId();
    String name = r.required(type.operationName() + "Name");
    return switch (type) {
      case USER -> identity.getUser(account, name).userName();
      case ROLE -> identity.getRole(account, name).roleName();
      case GROUP -> identity.getGroup(account, name).groupName();
    };
  }

  /** An IAM action whose permission is the IAM action of the same name on the resolved resource. */
  static QueryOperation op(String action, QueryOperation.ResourceResolver resource, QueryOperation.Handler handler) {
    return new QueryOperation(IAM, action, new Permission.PolicyAction("iam:" + action, resource), handler);
  }

  /** The user an access-key or GetUser call is about: the parameter, else the caller itself (null = root). */
  private static String targetUser(QueryRequest r) {
    String name = r.optional("UserName");
    if (name != null) {
      return name;
    }
    return switch (r.principal()) {
      case Principal.Root root -> null;
      case Principal.User user -> user.userName();
      case Principal.AssumedRole session -> throw mustNameUser();
      case Principal.FederatedUser federated -> throw mustNameUser();
    };
  }

  private static WharfException mustNameUser() {
    return new WharfException.Invalid("ValidationError", "Must specify userName when calling with non-User credentials");
  }

  private Resource userResource(QueryRequest r, String userName, String newPath) {
    String account = r.principal().accountId();
    if (userName == null) {
      return new Resource(IamArns.root(account), account);
    }
    // IAM names are case-insensitive: an existing user is authorized under its ARN as stored, so that a
    // policy naming user/admin also governs a request saying ADMIN (ARN patterns are case-sensitive).
    Optional<IamUser> existing = store.findUser(account, userName);
    String path = newPath != null ? newPath : existing.map(IamUser::path).orElse("/");
    return new Resource(IamArns.user(account, path, existing.map(IamUser::userName).orElse(userName)), account,
        existing.map(u -> resourceTags(account, TaggedEntity.USER, u.userName())).orElse(Map.of()));
  }

  private Resource roleResource(QueryRequest r, String roleName, String newPath) {
    String account = r.principal().accountId();
    Optional<Role> existing = store.findRole(account, roleName);
    String path = newPath != null ? newPath : existing.map(Role::path).orElse("/");
    return new Resource(IamArns.role(account, path, existing.map(Role::roleName).orElse(roleName)), account,
        existing.map(role -> resourceTags(account, TaggedEntity.ROLE, role.roleName())).orElse(Map.of()));
  }

  /** The tags of an existing IAM resource as {@code iam:ResourceTag/KEY} and {@code aws:ResourceTag/KEY}. */
  private Map<String, List<String>> resourceTags(String account, TaggedEntity entity, String key) {
    return resourceTags(store, account, entity, key);
  }

  private static Map<String, List<String>> resourceTags(IdentityStore store, String account, TaggedEntity entity,
      String key) {
    Map<String, List<String>> context = new HashMap<>();
    for (Tag tag : store.listTags(account, entity, key)) {
      context.put("iam:ResourceTag/" + tag.key(), List.of(tag.value()));
      context.put("aws:ResourceTag/" + tag.key(), List.of(tag.value()));
    }
    return context;
  }

  /**
   * Adds what the request asks to set to the resource's condition keys: {@code aws:RequestTag/KEY} for each tag,
   * {@code aws:TagKeys} for the keys set or removed, {@code iam:PermissionsBoundary} for a boundary.
   */
  static QueryOperation.ResourceResolver withRequest(QueryOperation.ResourceResolver resource) {
    return r -> {
      Resource resolved = resource.resolve(r);
      Map<String, List<String>> context = new HashMap<>(resolved.context());
      List<Tag> tags = tags(r);
      LinkedHashSet<String> keys = new LinkedHashSet<>(r.members("TagKeys"));
      for (Tag tag : tags) {
        context.put("aws:RequestTag/" + tag.key(), List.of(tag.value()));
        keys.add(tag.key());
      }
      if (!keys.isEmpty()) {
        context.put("aws:TagKeys", List.copyOf(keys));
      }
      if (r.optional("PermissionsBoundary") != null) {
        context.put("iam:PermissionsBoundary", List.of(r.optional("PermissionsBoundary")));
      }
      return new Resource(resolved.arn(), resolved.accountId(), context);
    };
  }

  /**
   * The resource of a Create call: with the request's condition keys, and, when the call passes tags, also
   * needing iam:Tag{kind} on the new resource, as IAM asks.
   */
  static QueryOperation.ResourceResolver creating(TaggedEntity entity, QueryOperation.ResourceResolver resource) {
    QueryOperation.ResourceResolver withRequest = withRequest(resource);
    return r -> {
      Resource resolved = withRequest.resolve(r);
      return tags(r).isEmpty() ? resolved : resolved.alsoRequiring("iam:Tag" + entity.operationName());
    };
  }

  /** The {@code Tags.member.N.Key/Value} list of a request (empty when absent); a member without both is invalid. */
  static List<Tag> tags(QueryRequest r) {
    List<Tag> tags = new ArrayList<>();
    for (int i = 1; r.optional("Tags.member." + i + ".Key") != null || r.optional("Tags.member." + i + ".Value") != null;
        i++) {
      String key = r.optional("Tags.member." + i + ".Key");
      String value = r.optional("Tags.member." + i + ".Value");
      if (key == null || value == null) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value null at 'tags."
            + i + ".member." + (key == null ? "key" : "value") + "' failed to satisfy constraint: Member must not be null");
      }
      tags.add(new Tag(key, value));
    }
    return tags;
  }

  private static List<Tag> requiredTags(QueryRequest r) {
    List<Tag> tags = tags(r);
    if (tags.isEmpty()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value null at 'tags'"
          + " failed to satisfy constraint: Member must not be null");
    }
    return tags;
  }

  private Resource groupResource(QueryRequest r, String groupName, String newPath) {
    String account = r.principal().accountId();
    Optional<IamGroup> existing = store.findGroup(account, groupName);
    String path = newPath != null ? newPath : existing.map(IamGroup::path).orElse("/");
    return new Resource(IamArns.group(account, path, existing.map(IamGroup::groupName).orElse(groupName)), account);
  }

  private static Resource accountResource(QueryRequest r, String suffix) {
    return new Resource("arn:aws:iam::" + r.principal().accountId() + ":" + suffix, r.principal().accountId());
  }

  /** An OpenID Connect provider named by the request, with its tags as condition keys. */
  static Resource oidcProviderResource(IdentityStore store, QueryRequest r) {
    String arn = r.required("OpenIDConnectProviderArn");
    String account = r.principal().accountId();
    return new Resource(arn, account, resourceTags(store, account, TaggedEntity.OIDC_PROVIDER, arn));
  }

  private Resource policyResource(QueryRequest r) {
    String arn = r.required("PolicyArn");
    String account = r.principal().accountId();
    return new Resource(arn, account, arn.startsWith("arn:aws:iam::" + account + ":policy/")
        ? resourceTags(account, TaggedEntity.POLICY, arn) : Map.of());
  }

  /** IAM returns policy documents URL-encoded (RFC 3986); the CLI decodes them. */
  static String encodeDocument(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void user(XmlBuilder x, IamUser user) {
    x.text("Path", user.path()).text("UserName", user.userName()).text("UserId", user.userId())
        .text("Arn", user.arn()).text("CreateDate", user.createdAt());
  }

  private static void group(XmlBuilder x, IamGroup group) {
    x.text("Path", group.path()).text("GroupName", group.groupName()).text("GroupId", group.groupId())
        .text("Arn", group.arn()).text("CreateDate", group.createdAt());
  }

  /** A user as GetUser and CreateUser show it: with its permissions boundary and tags. */
  private void userDetails(XmlBuilder x, IamUser user) {
    user(x, user);
    x.text("PasswordLastUsed", store.findLoginProfile(user.accountId(), user.userName())
        .map(stored -> stored.profile().passwordLastUsedAt()).orElse(null));
    boundary(x, user.permissionsBoundary());
    tags(x, store.listTags(user.accountId(), TaggedEntity.USER, user.userName()));
  }

  private void roleDetails(XmlBuilder x, Role role) {
    role(x, role);
    boundary(x, role.permissionsBoundary());
    tags(x, store.listTags(role.accountId(), TaggedEntity.ROLE, role.roleName()));
  }

  private void policyDetails(XmlBuilder x, ManagedPolicy policy) {
    policy(x, policy);
    if (!policy.awsManaged()) {
      tags(x, store.listTags(policy.accountId(), TaggedEntity.POLICY, policy.arn()));
    }
  }

  private static void boundary(XmlBuilder x, String policyArn) {
    if (policyArn != null) {
      x.element("PermissionsBoundary", b -> b.text("PermissionsBoundaryType", "Policy")
          .text("PermissionsBoundaryArn", policyArn));
    }
  }

  /** IAM leaves Tags out when there are none. */
  static void tags(XmlBuilder x, List<Tag> tags) {
    if (!tags.isEmpty()) {
      x.element("Tags", list -> tags.forEach(tag -> list.element("member", m -> tag(m, tag))));
    }
  }

  private static void tag(XmlBuilder x, Tag tag) {
    x.text("Key", tag.key()).text("Value", tag.value());
  }

  private static void accessKey(XmlBuilder x, AccessKey key) {
    x.text("UserName", key.userName()).text("AccessKeyId", key.accessKeyId()).text("Status", key.status().name())
        .text("CreateDate", key.createdAt());
  }

  private static void role(XmlBuilder x, Role role) {
    x.text("Path", role.path()).text("RoleName", role.roleName()).text("RoleId", role.roleId()).text("Arn", role.arn())
        .text("CreateDate", role.createdAt()).text("AssumeRolePolicyDocument", encodeDocument(role.trustPolicy()))
        .text("Description", role.description()).text("MaxSessionDuration", role.maxSessionDuration());
  }

  private static void policy(XmlBuilder x, ManagedPolicy policy) {
    x.text("PolicyName", policy.policyName()).text("PolicyId", policy.policyId()).text("Arn", policy.arn())
        .text("Path", policy.path()).text("DefaultVersionId", policy.defaultVersionId()).text("AttachmentCount", policy.attachmentCount())
        .text("PermissionsBoundaryUsageCount", policy.boundaryUsageCount()).text("IsAttachable", true).text("Description", policy.description())
        .text("CreateDate", policy.createdAt()).text("UpdateDate", policy.updatedAt());
  }

  static <T> void page(QueryRequest r, XmlBuilder x, String listName, List<T> items, BiConsumer<XmlBuilder, T> render) {
    pageOf(r, x, listName, items, (m, item) -> m.element("member", e -> render.accept(e, item)));
  }

  /** IAM's Marker/MaxItems pagination over a sorted list; the marker is the offset of the next item. */
  private static <T> void pageOf(QueryRequest r, XmlBuilder x, String listName, List<T> items,
      BiConsumer<XmlBuilder, T> renderMember) {
    Page<T> page = Page.of(r, items);
    x.element(listName, list -> page.items().forEach(item -> renderMember.accept(list, item)));
    page.writeTruncation(x);
  }

  /** One page of a sorted list, and the offset of the next item when there are more (null otherwise). */
  private record Page<T>(List<T> items, Integer nextMarker) {
    static <T> Page<T> of(QueryRequest r, List<T> items) {
      Integer maxItems = r.optionalInt("MaxItems");
      int max = maxItems == null ? 100 : maxItems;
      if (max < 1 || max > 1000) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + max
            + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
      }
      int start = 0;
      String marker = r.optional("Marker");
      if (marker != null) {
        try {
          start = Integer.parseInt(marker);
        } catch (NumberFormatException e) {
          start = -1;
        }
        if (start < 0 || start > items.size()) {
          throw new WharfException.Invalid("ValidationError", "Invalid Marker");
        }
      }
      int end = Math.min(items.size(), start + max);
      return new Page<>(items.subList(start, end), end < items.size() ? end : null);
    }

    void writeTruncation(XmlBuilder x) {
      x.text("IsTruncated", nextMarker != null);
      if (nextMarker != null) {
        x.text("Marker", Integer.toString(nextMarker));
      }
    }
  }
}
