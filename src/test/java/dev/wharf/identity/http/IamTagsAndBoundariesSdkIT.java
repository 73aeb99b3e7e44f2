package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.CodeartifactException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/**
 * IAM tags, permissions boundaries, the IAM update operations and the AWS managed CodeArtifact policies, through
 * the AWS SDK for Java v2: a boundary and a principal tag decide real CodeArtifact calls.
 */
class IamTagsAndBoundariesSdkIT {
  private static final String ADMIN_ACCESS = "arn:aws:iam::aws:policy/AWSCodeArtifactAdminAccess";
  private static final String READ_ONLY = "arn:aws:iam::aws:policy/AWSCodeArtifactReadOnlyAccess";

  @TempDir static Path data;
  static TestingServer wharf;
  static IamClient rootIam;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    rootIam = wharf.iam(wharf.rootCredentials());
    account = wharf.managementAccountId();
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static String statements(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String statement(String effect, String action) {
    return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}";
  }

  private static String policy(String name, String document) {
    return rootIam.createPolicy(b -> b.policyName(name).policyDocument(document)).policy().arn();
  }

  private static CodeartifactClient codeartifactAs(AwsBasicCredentials credentials) {
    return wharf.codeartifact(credentials);
  }

  @Test
  void aBoundaryThatDoesNotAllowCodeArtifactCutsOffAUserWhosePolicyAllowsIt() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-alice", null, null);
    rootIam.attachUserPolicy(b -> b.userName("tb-alice").policyArn(ADMIN_ACCESS));
    CodeartifactClient alice = codeartifactAs(keys);
    alice.listDomains(b -> { });

    String iamOnly = policy("tb-iam-only", statements(statement("Allow", "iam:*")));
    rootIam.putUserPermissionsBoundary(b -> b.userName("tb-alice").permissionsBoundary(iamOnly));
    User user = rootIam.getUser(b -> b.userName("tb-alice")).user();
    assertThat(user.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(iamOnly);
    assertThat(user.permissionsBoundary().permissionsBoundaryTypeAsString()).isEqualTo("Policy");
    assertThat(awsError(CodeartifactException.class, "AccessDeniedException", 403, () -> alice.listDomains(b -> { }))
        .awsErrorDetails().errorMessage()).contains("codeartifact:ListDomains");
    assertThat(rootIam.getPolicy(b -> b.policyArn(iamOnly)).policy().permissionsBoundaryUsageCount()).isEqualTo(1);
    awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deletePolicy(b -> b.policyArn(iamOnly)));

    rootIam.deleteUserPermissionsBoundary(b -> b.userName("tb-alice"));
    assertThat(rootIam.getUser(b -> b.userName("tb-alice")).user().permissionsBoundary()).isNull();
    alice.listDomains(b -> { });
  }

  @Test
  void aDenyInTheBoundaryDeniesExplicitly() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-bob", null, null);
    rootIam.attachUserPolicy(b -> b.userName("tb-bob").policyArn(READ_ONLY));
    CodeartifactClient bob = codeartifactAs(keys);
    bob.listDomains(b -> { });
    String noListing = policy("tb-no-listing", statements(statement("Allow", "*"),
        statement("Deny", "codeartifact:ListDomains")));
    rootIam.putUserPermissionsBoundary(b -> b.userName("tb-bob").permissionsBoundary(noListing));

    assertThat(awsError(CodeartifactException.class, "AccessDeniedException", 403, () -> bob.listDomains(b -> { }))
        .awsErrorDetails().errorMessage()).contains("explicit deny");
    rootIam.deleteUserPermissionsBoundary(b -> b.userName("tb-bob"));
  }

  @Test
  void aPrincipalTagConditionDecidesACodeArtifactCall() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-carol", "build-team-only", statements(
        "{\"Effect\":\"Allow\",\"Action\":\"codeartifact:ListDomains\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"build\"}}}"));
    CodeartifactClient carol = codeartifactAs(keys);
    awsError(CodeartifactException.class, "AccessDeniedException", 403, () -> carol.listDomains(b -> { }));

    rootIam.tagUser(b -> b.userName("tb-carol").tags(Tag.builder().key("team").value("build").build()));
    carol.listDomains(b -> { });

    rootIam.tagUser(b -> b.userName("tb-carol").tags(Tag.builder().key("Team").value("web").build()));
    awsError(CodeartifactException.class, "AccessDeniedException", 403, () -> carol.listDomains(b -> { }));

    rootIam.untagUser(b -> b.userName("tb-carol").tagKeys("TEAM"));
    assertThat(rootIam.listUserTags(b -> b.userName("tb-carol")).tags()).isEmpty();
  }

  @Test
  void aResourceTagProtectsAnIamUserFromDeletion() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-admin", "admin-but-protected", statements(
        statement("Allow", "iam:*"),
        "{\"Effect\":\"Deny\",\"Action\":\"iam:DeleteUser\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"iam:ResourceTag/protected\":\"true\"}}}"));
    IamClient admin = wharf.iam(keys);
    admin.createUser(b -> b.userName("tb-protected").tags(Tag.builder().key("protected").value("true").build()));
    admin.createUser(b -> b.userName("tb-disposable"));

    awsError(IamException.class, "AccessDenied", 403, () -> admin.deleteUser(b -> b.userName("tb-protected")));
    admin.deleteUser(b -> b.userName("tb-disposable"));
  }

  @Test
  void tagsRoundTripOnUsersRolesAndPolicies() {
    User user = rootIam.createUser(b -> b.userName("tb-tagged")
        .tags(Tag.builder().key("team").value("build").build(), Tag.builder().key("empty").value("").build())).user();
    assertThat(user.tags()).extracting(Tag::key, Tag::value)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("team", "build"),
            org.assertj.core.groups.Tuple.tuple("empty", ""));
    assertThat(rootIam.getUser(b -> b.userName("tb-tagged")).user().tags()).hasSize(2);
    rootIam.tagUser(b -> b.userName("TB-TAGGED").tags(Tag.builder().key("cost").value("42").build()));
    assertThat(rootIam.listUserTags(b -> b.userName("tb-tagged")).tags()).extracting(Tag::key)
        .containsExactly("cost", "empty", "team");
    rootIam.untagUser(b -> b.userName("tb-tagged").tagKeys("empty", "absent"));
    assertThat(rootIam.listUserTags(b -> b.userName("tb-tagged").maxItems(1)).isTruncated()).isTrue();

    String boundary = policy("tb-role-boundary", statements(statement("Allow", "codeartifact:*")));
    Role role = rootIam.createRole(b -> b.roleName("tb-role").assumeRolePolicyDocument(trust())
        .permissionsBoundary(boundary).tags(Tag.builder().key("env").value("ci").build())).role();
    assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
    assertThat(rootIam.getRole(b -> b.roleName("tb-role")).role().tags()).extracting(Tag::key).containsExactly("env");
    rootIam.tagRole(b -> b.roleName("tb-role").tags(Tag.builder().key("owner").value("ops").build()));
    rootIam.untagRole(b -> b.roleName("tb-role").tagKeys("env"));
    assertThat(rootIam.listRoleTags(b -> b.roleName("tb-role")).tags()).extracting(Tag::key).containsExactly("owner");
    rootIam.deleteRolePermissionsBoundary(b -> b.roleName("tb-role"));
    rootIam.putRolePermissionsBoundary(b -> b.roleName("tb-role").permissionsBoundary(READ_ONLY));
    assertThat(rootIam.getRole(b -> b.roleName("tb-role")).role().permissionsBoundary().permissionsBoundaryArn())
        .isEqualTo(READ_ONLY);

    String arn = rootIam.createPolicy(b -> b.policyName("tb-tagged-policy").policyDocument(statements(
        statement("Allow", "codeartifact:List*"))).tags(Tag.builder().key("kind").value("read").build())).policy().arn();
    assertThat(rootIam.getPolicy(b -> b.policyArn(arn)).policy().tags()).extracting(Tag::value).containsExactly("read");
    rootIam.tagPolicy(b -> b.policyArn(arn).tags(Tag.builder().key("kind").value("list").build()));
    assertThat(rootIam.listPolicyTags(b -> b.policyArn(arn)).tags()).extracting(Tag::value).containsExactly("list");
    rootIam.untagPolicy(b -> b.policyArn(arn).tagKeys("kind"));
    assertThat(rootIam.listPolicyTags(b -> b.policyArn(arn)).tags()).isEmpty();
  }

  @Test
  void creatingWithTagsAlsoNeedsTheTagAction() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-creator", "create-only", statements(
        "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateUser\",\"iam:CreatePolicy\","
            + "\"iam:CreateOpenIDConnectProvider\",\"iam:GetUser\"],\"Resource\":\"*\"}"));
    IamClient creator = wharf.iam(keys);
    Tag team = Tag.builder().key("team").value("build").build();
    assertThat(awsError(IamException.class, "AccessDenied", 403,
        () -> creator.createUser(b -> b.userName("tb-created").tags(team))).awsErrorDetails().errorMessage())
        .contains("iam:TagUser");
    awsError(IamException.class, "NoSuchEntity", 404, () -> creator.getUser(b -> b.userName("tb-created")));
    awsError(IamException.class, "AccessDenied", 403, () -> creator.createPolicy(b -> b.policyName("tb-created")
        .policyDocument(statements(statement("Allow", "codeartifact:List*"))).tags(team)));
    awsError(IamException.class, "AccessDenied", 403, () -> creator.createOpenIDConnectProvider(b -> b
        .url("https://tagged.example.com").clientIDList("sts.amazonaws.com").tags(team)));
    creator.createUser(b -> b.userName("tb-created"));

    rootIam.putUserPolicy(b -> b.userName("tb-creator").policyName("tag-build-only").policyDocument(statements(
        "{\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:RequestTag/team\":\"build\"}}}")));
    creator.createUser(b -> b.userName("tb-created-tagged").tags(team));
    assertThat(creator.getUser(b -> b.userName("tb-created-tagged")).user().tags()).containsExactly(team);
    awsError(IamException.class, "AccessDenied", 403, () -> creator.createUser(b -> b.userName("tb-created-web")
        .tags(Tag.builder().key("team").value("web").build())));
  }

  @Test
  void openIdConnectProvidersCarryTags() {
    Tag env = Tag.builder().key("env").value("ci").build();
    String arn = rootIam.createOpenIDConnectProvider(b -> b.url("https://tokens.example.com/tb")
        .clientIDList("sts.amazonaws.com").tags(env)).openIDConnectProviderArn();
    assertThat(rootIam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)).tags()).containsExactly(env);
    rootIam.tagOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)
        .tags(Tag.builder().key("owner").value("ops").build()));
    assertThat(rootIam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)).tags())
        .extracting(Tag::key).containsExactly("env", "owner");
    rootIam.untagOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).tagKeys("ENV"));
    assertThat(rootIam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)).tags())
        .extracting(Tag::key).containsExactly("owner");

    // A tag on the provider decides who may delete it.
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-oidc-admin", "not-owned-by-ops", statements(
        statement("Allow", "iam:*"),
        "{\"Effect\":\"Deny\",\"Action\":\"iam:DeleteOpenIDConnectProvider\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"iam:ResourceTag/owner\":\"ops\"}}}"));
    IamClient admin = wharf.iam(keys);
    awsError(IamException.class, "AccessDenied", 403,
        () -> admin.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)));
    rootIam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.tagOpenIDConnectProvider(b -> b
        .openIDConnectProviderArn(arn).tags(env)));
    // Registered again, the provider starts without the old tags.
    rootIam.createOpenIDConnectProvider(b -> b.url("https://tokens.example.com/tb").clientIDList("sts.amazonaws.com"));
    assertThat(rootIam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)).tags()).isEmpty();
    rootIam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
  }

  @Test
  void listEntitiesForPolicyNamesTheUsersGroupsAndRolesThatUseIt() {
    String arn = policy("tb-used", statements(statement("Allow", "codeartifact:List*")));
    rootIam.createUser(b -> b.userName("tb-user-a").path("/eng/"));
    rootIam.createUser(b -> b.userName("tb-user-b").permissionsBoundary(arn));
    rootIam.createGroup(b -> b.groupName("tb-group"));
    rootIam.createRole(b -> b.roleName("tb-used-role").assumeRolePolicyDocument(trust()));
    rootIam.attachUserPolicy(b -> b.userName("tb-user-a").policyArn(arn));
    rootIam.attachGroupPolicy(b -> b.groupName("tb-group").policyArn(arn));
    rootIam.attachRolePolicy(b -> b.roleName("tb-used-role").policyArn(arn));

    var all = rootIam.listEntitiesForPolicy(b -> b.policyArn(arn));
    assertThat(all.policyUsers()).extracting(u -> u.userName()).containsExactly("tb-user-a", "tb-user-b");
    assertThat(all.policyUsers().get(0).userId()).startsWith("AIDA");
    assertThat(all.policyGroups()).extracting(g -> g.groupName()).containsExactly("tb-group");
    assertThat(all.policyRoles()).extracting(r -> r.roleName()).containsExactly("tb-used-role");
    assertThat(all.isTruncated()).isFalse();

    assertThat(rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).entityFilter("Role")).policyUsers()).isEmpty();
    assertThat(rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).policyUsageFilter("PermissionsBoundary"))
        .policyUsers()).extracting(u -> u.userName()).containsExactly("tb-user-b");
    assertThat(rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).pathPrefix("/eng/")).policyUsers())
        .extracting(u -> u.userName()).containsExactly("tb-user-a");
    assertThat(rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).entityFilter("AWSManagedPolicy")).policyRoles())
        .isEmpty();
    var first = rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).maxItems(2));
    assertThat(first.isTruncated()).isTrue();
    var rest = rootIam.listEntitiesForPolicy(b -> b.policyArn(arn).marker(first.marker()));
    assertThat(first.policyGroups().size() + first.policyUsers().size() + first.policyRoles().size()
        + rest.policyUsers().size() + rest.policyRoles().size() + rest.policyGroups().size()).isEqualTo(4);
    // Paginated by the SDK's own paginator, every entity once.
    List<String> names = new ArrayList<>();
    rootIam.listEntitiesForPolicyPaginator(b -> b.policyArn(arn).maxItems(1)).forEach(page -> {
      page.policyGroups().forEach(g -> names.add(g.groupName()));
      page.policyUsers().forEach(u -> names.add(u.userName()));
      page.policyRoles().forEach(r -> names.add(r.roleName()));
    });
    assertThat(names).containsExactly("tb-group", "tb-user-a", "tb-user-b", "tb-used-role");

    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.listEntitiesForPolicy(b -> b
        .policyArn("arn:aws:iam::" + account + ":policy/absent")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.listEntitiesForPolicy(b -> b.policyArn(arn)
        .entityFilter("Robot")));
    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.listEntitiesForPolicy(b -> b.policyArn("nope")));
  }

  private static String trust() {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  @Test
  void rolesAreUpdatedInPlace() {
    rootIam.createRole(b -> b.roleName("tb-updated").assumeRolePolicyDocument(trust()).description("first"));
    rootIam.updateRole(b -> b.roleName("tb-updated").maxSessionDuration(7200));
    Role role = rootIam.getRole(b -> b.roleName("tb-updated")).role();
    assertThat(role.maxSessionDuration()).isEqualTo(7200);
    assertThat(role.description()).isEqualTo("first");

    assertThat(rootIam.updateRoleDescription(b -> b.roleName("tb-updated").description("second")).role().description())
        .isEqualTo("second");
    String newTrust = trust().replace(":root", ":user/someone");
    rootIam.updateAssumeRolePolicy(b -> b.roleName("tb-updated").policyDocument(newTrust));
    assertThat(URLDecoder.decode(rootIam.getRole(b -> b.roleName("tb-updated")).role().assumeRolePolicyDocument(),
        StandardCharsets.UTF_8)).isEqualTo(newTrust);

    awsError(IamException.class, "ValidationError", 400,
        () -> rootIam.updateRole(b -> b.roleName("tb-updated").maxSessionDuration(60)));
    awsError(IamException.class, "MalformedPolicyDocument", 400,
        () -> rootIam.updateAssumeRolePolicy(b -> b.roleName("tb-updated").policyDocument("{\"Statement\":\"no\"}")));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.updateRole(b -> b.roleName("tb-no-such-role").description("x")));
  }

  @Test
  void aRenamedUserKeepsItsKeysAndPoliciesUnderItsNewName() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-old-name", "self", statements(statement("Allow", "iam:GetUser")));
    rootIam.tagUser(b -> b.userName("tb-old-name").tags(Tag.builder().key("team").value("build").build()));
    rootIam.updateUser(b -> b.userName("tb-old-name").newUserName("tb-new-name").newPath("/moved/"));

    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getUser(b -> b.userName("tb-old-name")));
    User renamed = wharf.iam(keys).getUser().user();
    assertThat(renamed.userName()).isEqualTo("tb-new-name");
    assertThat(renamed.arn()).isEqualTo("arn:aws:iam::" + account + ":user/moved/tb-new-name");
    assertThat(rootIam.listUserTags(b -> b.userName("tb-new-name")).tags()).extracting(Tag::key).containsExactly("team");

    rootIam.createUser(b -> b.userName("tb-taken"));
    awsError(IamException.class, "EntityAlreadyExists", 409,
        () -> rootIam.updateUser(b -> b.userName("tb-new-name").newUserName("TB-TAKEN")));
  }

  @Test
  void aRenameEndsTheAuthorizationTokensIssuedUnderTheOldName() throws Exception {
    CodeartifactClient root = codeartifactAs(wharf.rootCredentials());
    root.createDomain(b -> b.domain("tb-rename"));
    root.createRepository(b -> b.domain("tb-rename").repository("app"));
    AwsBasicCredentials keys = TestingIam.user(rootIam, "tb-token-holder", null, null);
    rootIam.attachUserPolicy(b -> b.userName("tb-token-holder").policyArn(READ_ONLY));
    String token = codeartifactAs(keys).getAuthorizationToken(b -> b.domain("tb-rename")).authorizationToken();
    assertThat(npmGet(token)).isEqualTo(404);

    rootIam.updateUser(b -> b.userName("tb-token-holder").newUserName("tb-token-holder-renamed"));
    assertThat(npmGet(token)).isEqualTo(401);
    // the access keys follow the user: a new token acts as the renamed user
    String fresh = codeartifactAs(keys).getAuthorizationToken(b -> b.domain("tb-rename")).authorizationToken();
    assertThat(npmGet(fresh)).isEqualTo(404);
  }

  private static int npmGet(String token) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(wharf.endpoint() + "/tb-rename-" + account
        + "/npm/app/no-such-package")).header("Authorization", "Bearer " + token).GET().build();
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  @Test
  void badTagAndBoundaryInputIsAnsweredInAwsShapesNeverA500() {
    rootIam.createUser(b -> b.userName("tb-bad-input"));
    List<Tag> tooMany = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      tooMany.add(Tag.builder().key("k" + i).value("v").build());
    }
    awsError(IamException.class, "LimitExceeded", 409, () -> rootIam.tagUser(b -> b.userName("tb-bad-input").tags(tooMany)));
    List<Tag> fifty = tooMany.subList(0, 50);
    rootIam.tagUser(b -> b.userName("tb-bad-input").tags(fifty));
    awsError(IamException.class, "LimitExceeded", 409, () -> rootIam.tagUser(b -> b.userName("tb-bad-input")
        .tags(Tag.builder().key("one-more").value("v").build())));
    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.tagUser(b -> b.userName("tb-bad-input")
        .tags(Tag.builder().key("aws:team").value("v").build())));
    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.tagUser(b -> b.userName("tb-bad-input")
        .tags(Tag.builder().key("k0").value("a").build(), Tag.builder().key("K0").value("b").build())));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.tagUser(b -> b.userName("tb-bad-input")
        .tags(Tag.builder().key("x".repeat(129)).value("v").build())));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.tagUser(b -> b.userName("tb-bad-input")
        .tags(Tag.builder().key("k").value("v".repeat(257)).build())));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.tagUser(b -> b.userName("tb-nobody")
        .tags(Tag.builder().key("k").value("v").build())));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.listRoleTags(b -> b.roleName("tb-nobody")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.untagPolicy(b -> b
        .policyArn("arn:aws:iam::" + account + ":policy/tb-nothing").tagKeys("k")));

    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.putUserPermissionsBoundary(b -> b
        .userName("tb-bad-input").permissionsBoundary("not-an-arn")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.putUserPermissionsBoundary(b -> b
        .userName("tb-bad-input").permissionsBoundary("arn:aws:iam::" + account + ":policy/tb-absent")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.putRolePermissionsBoundary(b -> b
        .roleName("tb-nobody").permissionsBoundary(READ_ONLY)));
    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.createUser(b -> b.userName("tb-bad-boundary")
        .permissionsBoundary("arn:aws:s3:::bucket")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getUser(b -> b.userName("tb-bad-boundary")));
  }

  @Test
  void theAwsManagedCodeArtifactPoliciesAreThereAttachableAndNotDeletable() {
    var policy = rootIam.getPolicy(b -> b.policyArn(READ_ONLY)).policy();
    assertThat(policy.policyName()).isEqualTo("AWSCodeArtifactReadOnlyAccess");
    assertThat(policy.isAttachable()).isTrue();
    String document = URLDecoder.decode(rootIam.getPolicyVersion(b -> b.policyArn(ADMIN_ACCESS).versionId("v1"))
        .policyVersion().document(), StandardCharsets.UTF_8);
    assertThat(document).contains("\"codeartifact:*\"").contains("sts:AWSServiceName");
    assertThat(rootIam.listPolicies(b -> b.scope("AWS")).policies()).extracting(p -> p.arn())
        .contains(READ_ONLY, ADMIN_ACCESS);
    awsError(IamException.class, "InvalidInput", 400, () -> rootIam.deletePolicy(b -> b.policyArn(ADMIN_ACCESS)));
  }
}
