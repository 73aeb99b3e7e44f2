package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.sts.model.StsException;

/** IAM users, access keys and user policies through the AWS SDK for Java v2, against a real server. */
class IamUsersSdkIT {
  private static final String ALLOW_LIST_USERS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}]}";

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

  private static AwsBasicCredentials credentials(AccessKey key) {
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  @Test
  void aCreatedUserCanBeReadListedAndDeleted() {
    User created = rootIam.createUser(b -> b.userName("users-alice").path("/team/")).user();
    assertThat(created.arn()).isEqualTo("arn:aws:iam::" + account + ":user/team/users-alice");
    assertThat(created.userId()).startsWith("AIDA");
    assertThat(created.path()).isEqualTo("/team/");
    assertThat(created.createDate()).isNotNull();

    User read = rootIam.getUser(b -> b.userName("users-alice")).user();
    assertThat(read.userId()).isEqualTo(created.userId());
    assertThat(read.arn()).isEqualTo(created.arn());
    assertThat(rootIam.listUsers(b -> b.pathPrefix("/team/")).users()).extracting(User::userName).containsExactly("users-alice");

    rootIam.deleteUser(b -> b.userName("users-alice"));

    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getUser(b -> b.userName("users-alice")));
    assertThat(rootIam.listUsers(b -> b.pathPrefix("/team/")).users()).isEmpty();
  }

  @Test
  void getUserWithoutANameDescribesTheCallerItself() {
    rootIam.createUser(b -> b.userName("users-self"));
    rootIam.putUserPolicy(b -> b.userName("users-self").policyName("self").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\"}]}"));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("users-self")).accessKey();

    assertThat(wharf.iam(credentials(key)).getUser().user().userName()).isEqualTo("users-self");
    assertThat(rootIam.getUser().user().arn()).isEqualTo("arn:aws:iam::" + account + ":root");
  }

  @Test
  void userNamesAreUniqueRegardlessOfCase() {
    rootIam.createUser(b -> b.userName("Users-Bob"));

    IamException duplicate = awsError(IamException.class, "EntityAlreadyExists", 409,
        () -> rootIam.createUser(b -> b.userName("users-bob")));
    assertThat(duplicate.awsErrorDetails().errorMessage()).contains("users-bob");
    assertThat(rootIam.getUser(b -> b.userName("USERS-BOB")).user().userName()).isEqualTo("Users-Bob");
  }

  @Test
  void deletingAnUnknownUserIsNoSuchEntity() {
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.deleteUser(b -> b.userName("users-nobody")));
  }

  @Test
  void invalidUserNamesAreValidationErrors() {
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createUser(b -> b.userName("x".repeat(65))));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createUser(b -> b.userName("has space")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createUser(b -> b.userName("slash/name")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createUser(b -> b.userName("control\u0001char")));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createUser(b -> b.userName("users-path").path("no-slash")));
  }

  @Test
  void aUserIsNotDeletedWhileItHasAccessKeysInlinePoliciesOrAttachedPolicies() {
    rootIam.createUser(b -> b.userName("users-carol"));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("users-carol")).accessKey();
    rootIam.putUserPolicy(b -> b.userName("users-carol").policyName("inline").policyDocument(ALLOW_LIST_USERS));
    String policyArn = rootIam.createPolicy(b -> b.policyName("users-carol-managed").policyDocument(ALLOW_LIST_USERS))
        .policy().arn();
    rootIam.attachUserPolicy(b -> b.userName("users-carol").policyArn(policyArn));

    assertThat(awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deleteUser(b -> b.userName("users-carol")))
        .awsErrorDetails().errorMessage()).contains("access keys");
    rootIam.deleteAccessKey(b -> b.userName("users-carol").accessKeyId(key.accessKeyId()));

    assertThat(awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deleteUser(b -> b.userName("users-carol")))
        .awsErrorDetails().errorMessage()).contains("policies");
    rootIam.deleteUserPolicy(b -> b.userName("users-carol").policyName("inline"));

    assertThat(awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deleteUser(b -> b.userName("users-carol")))
        .awsErrorDetails().errorMessage()).contains("detach");
    rootIam.detachUserPolicy(b -> b.userName("users-carol").policyArn(policyArn));

    rootIam.deleteUser(b -> b.userName("users-carol"));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getUser(b -> b.userName("users-carol")));
  }

  @Test
  void aUserHasAtMostTwoAccessKeysAndTheyAreListedWithTheirStatus() {
    rootIam.createUser(b -> b.userName("users-dave"));
    AccessKey first = rootIam.createAccessKey(b -> b.userName("users-dave")).accessKey();
    AccessKey second = rootIam.createAccessKey(b -> b.userName("users-dave")).accessKey();
    assertThat(first.accessKeyId()).startsWith("AKIA").hasSize(20);
    assertThat(first.secretAccessKey()).hasSize(40);
    assertThat(first.status()).isEqualTo(StatusType.ACTIVE);

    awsError(IamException.class, "LimitExceeded", 409, () -> rootIam.createAccessKey(b -> b.userName("users-dave")));

    List<AccessKeyMetadata> listed = rootIam.listAccessKeys(b -> b.userName("users-dave")).accessKeyMetadata();
    assertThat(listed).extracting(AccessKeyMetadata::accessKeyId)
        .containsExactlyInAnyOrder(first.accessKeyId(), second.accessKeyId());
    assertThat(listed).allSatisfy(k -> {
      assertThat(k.status()).isEqualTo(StatusType.ACTIVE);
      assertThat(k.userName()).isEqualTo("users-dave");
    });
  }

  @Test
  void anInactiveKeyIsRefusedAtItsNextCallAndReactivatingItRestoresIt() {
    rootIam.createUser(b -> b.userName("users-erin"));
    rootIam.putUserPolicy(b -> b.userName("users-erin").policyName("list").policyDocument(ALLOW_LIST_USERS));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("users-erin")).accessKey();
    IamClient erin = wharf.iam(credentials(key));
    erin.listUsers();

    rootIam.updateAccessKey(b -> b.userName("users-erin").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));

    awsError(IamException.class, "InvalidClientTokenId", 403, erin::listUsers);
    awsError(StsException.class, "InvalidClientTokenId", 403, () -> wharf.sts(credentials(key)).getCallerIdentity());
    assertThat(rootIam.listAccessKeys(b -> b.userName("users-erin")).accessKeyMetadata())
        .singleElement().extracting(AccessKeyMetadata::status).isEqualTo(StatusType.INACTIVE);

    rootIam.updateAccessKey(b -> b.userName("users-erin").accessKeyId(key.accessKeyId()).status(StatusType.ACTIVE));

    assertThat(erin.listUsers().users()).extracting(User::userName).contains("users-erin");
  }

  @Test
  void aDeletedKeyIsRefusedAtOnce() {
    rootIam.createUser(b -> b.userName("users-frank"));
    rootIam.putUserPolicy(b -> b.userName("users-frank").policyName("list").policyDocument(ALLOW_LIST_USERS));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("users-frank")).accessKey();
    IamClient frank = wharf.iam(credentials(key));
    frank.listUsers();

    rootIam.deleteAccessKey(b -> b.userName("users-frank").accessKeyId(key.accessKeyId()));

    awsError(IamException.class, "InvalidClientTokenId", 403, frank::listUsers);
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.deleteAccessKey(b -> b.userName("users-frank").accessKeyId(key.accessKeyId())));
  }

  @Test
  void anUnknownStatusOrKeyIsRefused() {
    rootIam.createUser(b -> b.userName("users-gina"));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("users-gina")).accessKey();
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.updateAccessKey(
        b -> b.userName("users-gina").accessKeyId(key.accessKeyId()).status("Paused")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.updateAccessKey(
        b -> b.userName("users-gina").accessKeyId("AKIA0000000000000000").status(StatusType.INACTIVE)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.listAccessKeys(b -> b.userName("users-nobody")));
  }

  @Test
  void aUserPolicyIsStoredAndReturnedUrlEncodedAsAwsDoes() {
    rootIam.createUser(b -> b.userName("users-hank"));
    String document = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"ListAll\", \"Effect\": \"Allow\","
        + " \"Action\": [\"iam:ListUsers\", \"iam:GetUser\"], \"Resource\": \"arn:aws:iam::" + account + ":user/*\","
        + " \"Condition\": {\"StringLike\": {\"aws:userid\": \"AIDA*+&=?\"}}}]}";

    rootIam.putUserPolicy(b -> b.userName("users-hank").policyName("read-users").policyDocument(document));

    String returned = rootIam.getUserPolicy(b -> b.userName("users-hank").policyName("read-users")).policyDocument();
    assertThat(returned).doesNotContain("{").doesNotContain(" ");
    assertThat(URLDecoder.decode(returned, StandardCharsets.UTF_8)).isEqualTo(document);
    assertThat(rootIam.listUserPolicies(b -> b.userName("users-hank")).policyNames()).containsExactly("read-users");

    rootIam.deleteUserPolicy(b -> b.userName("users-hank").policyName("read-users"));

    assertThat(rootIam.listUserPolicies(b -> b.userName("users-hank")).policyNames()).isEmpty();
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.getUserPolicy(b -> b.userName("users-hank").policyName("read-users")));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.deleteUserPolicy(b -> b.userName("users-hank").policyName("read-users")));
  }

  @Test
  void puttingAPolicyOfTheSameNameReplacesIt() {
    rootIam.createUser(b -> b.userName("users-ivy"));
    rootIam.putUserPolicy(b -> b.userName("users-ivy").policyName("p").policyDocument(ALLOW_LIST_USERS));
    String replacement = ALLOW_LIST_USERS.replace("iam:ListUsers", "iam:GetUser");

    rootIam.putUserPolicy(b -> b.userName("users-ivy").policyName("p").policyDocument(replacement));

    assertThat(URLDecoder.decode(rootIam.getUserPolicy(b -> b.userName("users-ivy").policyName("p")).policyDocument(),
        StandardCharsets.UTF_8)).isEqualTo(replacement);
    assertThat(rootIam.listUserPolicies(b -> b.userName("users-ivy")).policyNames()).containsExactly("p");
  }

  @Test
  void malformedPolicyDocumentsAreRefusedWithAMessageThatSaysWhatIsWrong() {
    rootIam.createUser(b -> b.userName("users-jack"));
    record Case(String document, String mentions) {}
    List<Case> cases = List.of(
        new Case("not json at all", "JSON"),
        new Case("[1, 2]", "object"),
        new Case("{\"Version\":\"2012-10-17\"}", "Statement"),
        new Case("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":\"iam:*\",\"Resource\":\"*\"}]}", "Effect"),
        new Case("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}",
            "Maybe"),
        new Case("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\"}]}", "Resource"),
        new Case("{\"Version\":\"2099-01-01\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            "Version"));
    for (Case c : cases) {
      IamException refused = awsError(IamException.class, "MalformedPolicyDocument", 400,
          () -> rootIam.putUserPolicy(b -> b.userName("users-jack").policyName("bad").policyDocument(c.document())));
      assertThat(refused.awsErrorDetails().errorMessage()).as(c.document()).contains(c.mentions());
    }
    assertThat(rootIam.listUserPolicies(b -> b.userName("users-jack")).policyNames()).isEmpty();
  }

  @Test
  void aPolicyLargerThanTheQuotaIsLimitExceeded() {
    rootIam.createUser(b -> b.userName("users-kate"));
    String actions = String.join(",", IntStream.range(0, 1000).mapToObj(i -> "\"iam:GetUser" + i + "\"").toList());
    String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
        + "],\"Resource\":\"*\"}]}";
    assertThat(big.length()).isGreaterThan(16_000);

    awsError(IamException.class, "LimitExceeded", 409,
        () -> rootIam.putUserPolicy(b -> b.userName("users-kate").policyName("big").policyDocument(big)));
  }

  @Test
  void usersArePagedWithMaxItemsAndMarkerAndTheSdkPaginatorReadsEveryPage() {
    List<String> names = IntStream.range(0, 7).mapToObj(i -> "users-page-" + i).toList();
    names.forEach(name -> rootIam.createUser(b -> b.userName(name).path("/paged/")));

    ListUsersResponse first = rootIam.listUsers(b -> b.pathPrefix("/paged/").maxItems(3));
    assertThat(first.users()).hasSize(3);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.marker()).isNotBlank();
    ListUsersResponse second = rootIam.listUsers(b -> b.pathPrefix("/paged/").maxItems(3).marker(first.marker()));
    assertThat(second.users()).hasSize(3).doesNotContainAnyElementsOf(first.users());

    List<String> paged = rootIam.listUsersPaginator(b -> b.pathPrefix("/paged/").maxItems(2)).users().stream()
        .map(User::userName).toList();
    assertThat(paged).containsExactlyInAnyOrderElementsOf(names).doesNotHaveDuplicates();
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.listUsers(b -> b.maxItems(0)));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.listUsers(b -> b.marker("not-a-marker")));
  }

  @Test
  void namesInOtherRequestsMatchTheUserRegardlessOfCase() {
    rootIam.createUser(b -> b.userName("Users-Case"));
    rootIam.createAccessKey(b -> b.userName("users-case"));
    rootIam.createAccessKey(b -> b.userName("USERS-CASE"));
    awsError(IamException.class, "LimitExceeded", 409, () -> rootIam.createAccessKey(b -> b.userName("users-CASE")));
    assertThat(rootIam.listAccessKeys(b -> b.userName("users-case")).accessKeyMetadata()).hasSize(2);

    rootIam.putUserPolicy(b -> b.userName("users-case").policyName("p").policyDocument(ALLOW_LIST_USERS));
    assertThat(rootIam.getUserPolicy(b -> b.userName("USERS-CASE").policyName("p")).userName()).isEqualTo("Users-Case");
    assertThat(rootIam.listUserPolicies(b -> b.userName("users-case")).policyNames()).containsExactly("p");
    String arn = rootIam.createPolicy(b -> b.policyName("users-case-managed").policyDocument(ALLOW_LIST_USERS)).policy().arn();
    rootIam.attachUserPolicy(b -> b.userName("users-case").policyArn(arn));
    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("USERS-case")).attachedPolicies()).hasSize(1);
    rootIam.detachUserPolicy(b -> b.userName("USERS-case").policyArn(arn));
    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("Users-Case")).attachedPolicies()).isEmpty();
  }

  @Test
  void concurrentRequestsForMoreKeysStillLeaveAtMostTwo() throws Exception {
    int attempts = 16;
    for (int round = 0; round < 3; round++) {
      String name = "users-race-" + round;
      rootIam.createUser(b -> b.userName(name));
      List<String> results = concurrently(attempts, () -> {
        try {
          rootIam.createAccessKey(b -> b.userName(name));
          return "created";
        } catch (IamException e) {
          return e.awsErrorDetails().errorCode() + " " + e.statusCode();
        }
      });
      assertThat(results).as(name).containsOnly("created", "LimitExceeded 409");
      assertThat(rootIam.listAccessKeys(b -> b.userName(name)).accessKeyMetadata()).as(name).hasSize(2);
    }
  }

  /** Runs the task on that many threads released at the same moment; returns their results. */
  private static <T> List<T> concurrently(int threads, java.util.concurrent.Callable<T> task) throws Exception {
    java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          barrier.await();
          return task.call();
        }));
      }
      List<T> results = new java.util.ArrayList<>();
      for (var future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }
}
