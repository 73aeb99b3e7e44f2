package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.identity.IdentityService;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import software.amazon.awssdk.services.iam.model.PasswordPolicy;

/**
 * Console passwords (login profiles), ChangePassword and the account password policy through the AWS SDK for Java v2,
 * against a real server. Tests that set a password policy do it in an account of their own, so the others keep
 * AWS's default policy.
 */
class IamLoginProfilesSdkIT {
  private static final String GOOD_PASSWORD = "Correct-Horse-1";

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

  /** A new account (Wharf's CreateAccount); returns its id and an IAM client of its root user. */
  private record OwnAccount(String accountId, IamClient rootIam) {}

  private static OwnAccount ownAccount(String name) {
    TestingSigner.Response created = wharf.signer().form("Action=CreateAccount&Version=2026-11-25&AccountName=" + name)
        .signed(wharf.rootCredentials(), "wharf");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    return new OwnAccount(created.xmlText("AccountId").orElseThrow(), wharf.iam(AwsBasicCredentials.create(
        created.xmlText("AccessKeyId").orElseThrow(), created.xmlText("SecretAccessKey").orElseThrow())));
  }

  private static IdentityService identity() {
    return wharf.server().identity();
  }

  @Test
  void aLoginProfileIsCreatedReadUpdatedAndDeleted() {
    rootIam.createUser(b -> b.userName("profiles-alice"));
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    LoginProfile created = rootIam.createLoginProfile(b -> b.userName("PROFILES-ALICE").password(GOOD_PASSWORD)
        .passwordResetRequired(true)).loginProfile();

    assertThat(created.userName()).isEqualTo("profiles-alice");
    assertThat(created.passwordResetRequired()).isTrue();
    assertThat(created.createDate()).isBetween(before, Instant.now().plusSeconds(1));
    assertThat(rootIam.getLoginProfile(b -> b.userName("profiles-alice")).loginProfile()).isEqualTo(created);
    assertThat(identity().verifyConsolePassword(account, "profiles-alice", GOOD_PASSWORD)).get()
        .extracting(IdentityService.PasswordSignIn::passwordResetRequired).isEqualTo(true);

    rootIam.updateLoginProfile(b -> b.userName("profiles-alice").passwordResetRequired(false));
    assertThat(rootIam.getLoginProfile(b -> b.userName("profiles-alice")).loginProfile().passwordResetRequired()).isFalse();
    assertThat(identity().verifyConsolePassword(account, "profiles-alice", GOOD_PASSWORD)).isPresent();

    rootIam.updateLoginProfile(b -> b.userName("profiles-alice").password("Second-Horse-2"));
    assertThat(identity().verifyConsolePassword(account, "profiles-alice", GOOD_PASSWORD)).isEmpty();
    assertThat(identity().verifyConsolePassword(account, "profiles-alice", "Second-Horse-2")).isPresent();
    LoginProfile updated = rootIam.getLoginProfile(b -> b.userName("profiles-alice")).loginProfile();
    assertThat(updated.createDate()).as("CreateDate stays the first password's").isEqualTo(created.createDate());
    assertThat(rootIam.getUser(b -> b.userName("profiles-alice")).user().passwordLastUsed()).isNotNull();

    rootIam.deleteLoginProfile(b -> b.userName("profiles-alice"));

    IamException missing = awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.getLoginProfile(b -> b.userName("profiles-alice")));
    assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("Login Profile for User profiles-alice cannot be found.");
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.deleteLoginProfile(b -> b.userName("profiles-alice")));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.updateLoginProfile(b -> b.userName("profiles-alice").passwordResetRequired(true)));
    assertThat(identity().verifyConsolePassword(account, "profiles-alice", "Second-Horse-2")).isEmpty();
  }

  @Test
  void aSecondLoginProfileIsEntityAlreadyExistsAndAnUnknownUserNoSuchEntity() {
    rootIam.createUser(b -> b.userName("profiles-bob"));
    rootIam.createLoginProfile(b -> b.userName("profiles-bob").password(GOOD_PASSWORD));

    IamException again = awsError(IamException.class, "EntityAlreadyExists", 409,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-bob").password("Other-Horse-2")));
    assertThat(again.awsErrorDetails().errorMessage()).contains("profiles-bob");
    assertThat(identity().verifyConsolePassword(account, "profiles-bob", GOOD_PASSWORD)).isPresent();

    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-nobody").password(GOOD_PASSWORD)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getLoginProfile(b -> b.userName("profiles-nobody")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createLoginProfile(b -> b.userName("profiles-bob")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.getLoginProfile(b -> { }));
  }

  @Test
  void withoutAPasswordPolicyAwsDefaultOneDecides() {
    rootIam.createUser(b -> b.userName("profiles-carol"));

    IamException tooShort = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("Ab1!")));
    assertThat(tooShort.awsErrorDetails().errorMessage()).isEqualTo("Password should have a minimum length of 8");
    IamException twoKinds = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("lowercase123")));
    assertThat(twoKinds.awsErrorDetails().errorMessage()).contains("at least three of");
    IamException ownName = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("Profiles-Carol")));
    assertThat(ownName.awsErrorDetails().errorMessage()).contains("user name");
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getLoginProfile(b -> b.userName("profiles-carol")));

    awsError(IamException.class, "ValidationError", 400,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("Tab\u0001Control-1")));
    awsError(IamException.class, "ValidationError", 400,
        () -> rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("Aa1-" + "x".repeat(125))));
    rootIam.createLoginProfile(b -> b.userName("profiles-carol").password("lowercase-123"));
    IamException weakUpdate = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> rootIam.updateLoginProfile(b -> b.userName("profiles-carol").password("short")));
    assertThat(weakUpdate.awsErrorDetails().errorMessage()).contains("minimum length of 8");
    assertThat(identity().verifyConsolePassword(account, "profiles-carol", "lowercase-123")).isPresent();
  }

  @Test
  void thePasswordPolicyIsSetReadAndDeletedAsAwsAnswersIt() {
    IamClient iam = ownAccount("password-policy").rootIam();
    IamException none = awsError(IamException.class, "NoSuchEntity", 404, iam::getAccountPasswordPolicy);
    assertThat(none.awsErrorDetails().errorMessage()).startsWith("The Password Policy with domain name");

    iam.updateAccountPasswordPolicy(b -> b.minimumPasswordLength(14).requireSymbols(true).requireNumbers(true)
        .requireUppercaseCharacters(true).requireLowercaseCharacters(true).allowUsersToChangePassword(true)
        .maxPasswordAge(90).passwordReusePrevention(24).hardExpiry(true));

    PasswordPolicy policy = iam.getAccountPasswordPolicy().passwordPolicy();
    assertThat(policy.minimumPasswordLength()).isEqualTo(14);
    assertThat(policy.requireSymbols()).isTrue();
    assertThat(policy.requireNumbers()).isTrue();
    assertThat(policy.requireUppercaseCharacters()).isTrue();
    assertThat(policy.requireLowercaseCharacters()).isTrue();
    assertThat(policy.allowUsersToChangePassword()).isTrue();
    assertThat(policy.expirePasswords()).isTrue();
    assertThat(policy.maxPasswordAge()).isEqualTo(90);
    assertThat(policy.passwordReusePrevention()).isEqualTo(24);
    assertThat(policy.hardExpiry()).isTrue();

    // No partial update: what a request leaves out takes its default.
    iam.updateAccountPasswordPolicy(b -> b.requireNumbers(true));
    PasswordPolicy defaults = iam.getAccountPasswordPolicy().passwordPolicy();
    assertThat(defaults.minimumPasswordLength()).isEqualTo(6);
    assertThat(defaults.requireNumbers()).isTrue();
    assertThat(defaults.requireSymbols()).isFalse();
    assertThat(defaults.allowUsersToChangePassword()).isFalse();
    assertThat(defaults.expirePasswords()).isFalse();
    assertThat(defaults.maxPasswordAge()).isNull();
    assertThat(defaults.passwordReusePrevention()).isNull();
    assertThat(defaults.hardExpiry()).isFalse();

    for (var invalid : java.util.List.<java.util.function.Consumer<
        software.amazon.awssdk.services.iam.model.UpdateAccountPasswordPolicyRequest.Builder>>of(
            b -> b.minimumPasswordLength(5), b -> b.minimumPasswordLength(129), b -> b.maxPasswordAge(0),
            b -> b.maxPasswordAge(1096), b -> b.passwordReusePrevention(0), b -> b.passwordReusePrevention(25))) {
      awsError(IamException.class, "ValidationError", 400, () -> iam.updateAccountPasswordPolicy(invalid));
    }
    assertThat(iam.getAccountPasswordPolicy().passwordPolicy()).isEqualTo(defaults);

    iam.deleteAccountPasswordPolicy();
    awsError(IamException.class, "NoSuchEntity", 404, iam::getAccountPasswordPolicy);
    awsError(IamException.class, "NoSuchEntity", 404, iam::deleteAccountPasswordPolicy);
    awsError(IamException.class, "NoSuchEntity", 404, rootIam::getAccountPasswordPolicy);
  }

  @Test
  void aPasswordPolicyDecidesWhichPasswordsAreAcceptedAndNamesWhatIsWrong() {
    IamClient iam = ownAccount("strict-passwords").rootIam();
    iam.updateAccountPasswordPolicy(b -> b.minimumPasswordLength(12).requireSymbols(true).requireNumbers(true)
        .requireUppercaseCharacters(true).requireLowercaseCharacters(true).passwordReusePrevention(2));
    iam.createUser(b -> b.userName("strict-dana"));

    IamException refused = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> iam.createLoginProfile(b -> b.userName("strict-dana").password("lowercase")));
    assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("Password should have a minimum length of 12;"
        + " Password should have at least one uppercase letter; Password should have at least one number;"
        + " Password should have at least one symbol (one of !@#$%^&*()_+-=[]{}|')");

    iam.createLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-1"));
    IamException reused = awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> iam.updateLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-1")));
    assertThat(reused.awsErrorDetails().errorMessage()).contains("2 latest passwords");
    iam.updateLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-2"));
    awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> iam.updateLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-1")));
    iam.updateLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-3"));
    iam.updateLoginProfile(b -> b.userName("strict-dana").password("Long-Enough-1"));
  }

  @Test
  void aUserChangesItsOwnPasswordWhenThePolicyAllowsItAndItKnowsTheCurrentOne() {
    OwnAccount own = ownAccount("self-service");
    IamClient iam = own.rootIam();
    AwsBasicCredentials keys = TestingIam.user(iam, "self-erin", "p", null);
    iam.createLoginProfile(b -> b.userName("self-erin").password(GOOD_PASSWORD).passwordResetRequired(true));
    IamClient erin = wharf.iam(keys);

    awsError(IamException.class, "AccessDenied", 403,
        () -> erin.changePassword(b -> b.oldPassword(GOOD_PASSWORD).newPassword("Erin-Chose-2")));
    awsError(IamException.class, "AccessDenied", 403, erin::getAccountPasswordPolicy);

    iam.updateAccountPasswordPolicy(b -> b.allowUsersToChangePassword(true));

    assertThat(erin.getAccountPasswordPolicy().passwordPolicy().allowUsersToChangePassword()).isTrue();
    awsError(IamException.class, "AccessDenied", 403,
        () -> erin.changePassword(b -> b.oldPassword("Not-The-Password-1").newPassword("Erin-Chose-2")));
    awsError(IamException.class, "PasswordPolicyViolation", 400,
        () -> erin.changePassword(b -> b.oldPassword(GOOD_PASSWORD).newPassword("weak")));
    awsError(IamException.class, "ValidationError", 400, () -> erin.changePassword(b -> b.oldPassword(GOOD_PASSWORD)));

    erin.changePassword(b -> b.oldPassword(GOOD_PASSWORD).newPassword("Erin-Chose-2"));

    assertThat(identity().verifyConsolePassword(own.accountId(), "self-erin", GOOD_PASSWORD)).isEmpty();
    assertThat(identity().verifyConsolePassword(own.accountId(), "self-erin", "Erin-Chose-2")).get()
        .extracting(IdentityService.PasswordSignIn::passwordResetRequired).isEqualTo(false);
    awsError(IamException.class, "AccessDenied", 403, () -> erin.getLoginProfile(b -> { }));
    awsError(IamException.class, "AccessDenied", 403,
        () -> erin.updateLoginProfile(b -> b.userName("self-erin").password("Erin-Chose-3")));

    // An explicit Deny still wins over the account-wide permission.
    iam.putUserPolicy(b -> b.userName("self-erin").policyName("p").policyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"iam:ChangePassword\",\"Resource\":\"*\"}]}"));
    awsError(IamException.class, "AccessDenied", 403,
        () -> erin.changePassword(b -> b.oldPassword("Erin-Chose-2").newPassword("Erin-Chose-3")));
    iam.deleteUserPolicy(b -> b.userName("self-erin").policyName("p"));

    iam.deleteAccountPasswordPolicy();
    awsError(IamException.class, "AccessDenied", 403,
        () -> erin.changePassword(b -> b.oldPassword("Erin-Chose-2").newPassword("Erin-Chose-3")));
  }

  @Test
  void aUserPolicyGrantingChangePasswordIsEnoughAndTheRootUserHasNoPasswordToChange() {
    AwsBasicCredentials keys = TestingIam.user(rootIam, "self-frank", "change", "{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:ChangePassword\",\"iam:GetLoginProfile\"],"
        + "\"Resource\":\"arn:aws:iam::" + account + ":user/${aws:username}\"}]}");
    rootIam.createLoginProfile(b -> b.userName("self-frank").password(GOOD_PASSWORD));
    IamClient frank = wharf.iam(keys);

    assertThat(frank.getLoginProfile(b -> { }).loginProfile().userName()).isEqualTo("self-frank");
    frank.changePassword(b -> b.oldPassword(GOOD_PASSWORD).newPassword("Frank-Chose-2"));
    assertThat(identity().verifyConsolePassword(account, "self-frank", "Frank-Chose-2")).isPresent();

    awsError(IamException.class, "InvalidUserType", 400,
        () -> rootIam.changePassword(b -> b.oldPassword(GOOD_PASSWORD).newPassword("Root-Chose-2")));
  }

  @Test
  void aUserWithAConsolePasswordIsNotDeletedUntilThePasswordIs() {
    rootIam.createUser(b -> b.userName("profiles-hank"));
    rootIam.createLoginProfile(b -> b.userName("profiles-hank").password(GOOD_PASSWORD));

    IamException conflict = awsError(IamException.class, "DeleteConflict", 409,
        () -> rootIam.deleteUser(b -> b.userName("profiles-hank")));
    assertThat(conflict.awsErrorDetails().errorMessage()).isEqualTo("Cannot delete entity, must delete login profile first.");

    rootIam.deleteLoginProfile(b -> b.userName("profiles-hank"));
    rootIam.deleteUser(b -> b.userName("profiles-hank"));
    rootIam.createUser(b -> b.userName("profiles-hank"));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getLoginProfile(b -> b.userName("profiles-hank")));
  }

  @Test
  void aRenamedUserKeepsItsConsolePassword() {
    rootIam.createUser(b -> b.userName("profiles-ivy"));
    rootIam.createLoginProfile(b -> b.userName("profiles-ivy").password(GOOD_PASSWORD));

    rootIam.updateUser(b -> b.userName("profiles-ivy").newUserName("profiles-ivy2"));

    assertThat(rootIam.getLoginProfile(b -> b.userName("profiles-ivy2")).loginProfile().userName()).isEqualTo("profiles-ivy2");
    assertThat(identity().verifyConsolePassword(account, "profiles-ivy2", GOOD_PASSWORD)).isPresent();
    assertThat(identity().verifyConsolePassword(account, "profiles-ivy", GOOD_PASSWORD)).isEmpty();
  }

  @Test
  void eachLoginProfileActionNeedsItsOwnPermissionOnTheUser() {
    rootIam.createUser(b -> b.userName("profiles-target"));
    rootIam.createUser(b -> b.userName("profiles-other"));
    IamClient admin = wharf.iam(TestingIam.user(rootIam, "profiles-admin", "p", "{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateLoginProfile\",\"iam:GetLoginProfile\"],"
        + "\"Resource\":\"arn:aws:iam::" + account + ":user/profiles-target\"}]}"));
    IamClient reader = wharf.iam(TestingIam.user(rootIam, "profiles-reader", "p", "{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:GetLoginProfile\",\"iam:GetAccountPasswordPolicy\"],"
        + "\"Resource\":\"*\"}]}"));

    IamException denied = awsError(IamException.class, "AccessDenied", 403,
        () -> reader.createLoginProfile(b -> b.userName("profiles-target").password(GOOD_PASSWORD)));
    assertThat(denied.awsErrorDetails().errorMessage()).contains("iam:CreateLoginProfile")
        .contains("user/profiles-target");
    awsError(IamException.class, "AccessDenied", 403,
        () -> admin.createLoginProfile(b -> b.userName("profiles-other").password(GOOD_PASSWORD)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getLoginProfile(b -> b.userName("profiles-other")));

    admin.createLoginProfile(b -> b.userName("profiles-target").password(GOOD_PASSWORD));
    assertThat(reader.getLoginProfile(b -> b.userName("profiles-target")).loginProfile().userName())
        .isEqualTo("profiles-target");
    awsError(IamException.class, "AccessDenied", 403, () -> admin.deleteLoginProfile(b -> b.userName("profiles-target")));
    awsError(IamException.class, "AccessDenied", 403,
        () -> admin.updateLoginProfile(b -> b.userName("profiles-target").passwordResetRequired(true)));
    awsError(IamException.class, "AccessDenied", 403, () -> admin.updateAccountPasswordPolicy(b -> b.requireNumbers(true)));
    awsError(IamException.class, "AccessDenied", 403, admin::deleteAccountPasswordPolicy);
    awsError(IamException.class, "NoSuchEntity", 404, reader::getAccountPasswordPolicy);
  }
}
