package dev.wharf.token.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * A principal of account B reaching a domain of account A (B made with Wharf's CreateAccount):
 * GetAuthorizationToken needs {@code --domain-owner A}, A's domain policy and B's own identity
 * policy (which must also allow {@code sts:GetServiceBearerToken}, checked in B's account); B's
 * token reads A's repository only when A's repository or domain policy and B's identity policy
 * both allow {@code codeartifact:ReadFromRepository}.
 */
class CrossAccountTokenIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String TOKEN_AND_READ = "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\","
      + "\"codeartifact:ReadFromRepository\"";

  @TempDir static Path data;
  static TestingServer wharf;
  static CodeartifactClient codeartifactA;
  static String accountA;
  static String accountB;
  static IamClient iamB;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    accountA = wharf.managementAccountId();
    codeartifactA = wharf.codeartifact(wharf.rootCredentials());
    TestingSigner.Response created = wharf.signer().form("Action=CreateAccount&Version=2026-11-25&AccountName=team-b")
        .signed(wharf.rootCredentials(), "wharf");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    accountB = created.xmlText("AccountId").orElseThrow();
    iamB = wharf.iam(AwsBasicCredentials.create(created.xmlText("AccessKeyId").orElseThrow(),
        created.xmlText("SecretAccessKey").orElseThrow()));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String allow(String actions) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions + "],\"Resource\":\"*\"}]}";
  }

  private static String allowAccountB(String actions) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + accountB
        + ":root\"},\"Action\":[" + actions + "],\"Resource\":\"*\"}]}";
  }

  private static CodeartifactClient userOfB(String name, String identityPolicy) {
    iamB.createUser(b -> b.userName(name));
    if (identityPolicy != null) {
      iamB.putUserPolicy(b -> b.userName(name).policyName("p").policyDocument(identityPolicy));
    }
    AccessKey key = iamB.createAccessKey(b -> b.userName(name)).accessKey();
    return wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
  }

  /** A domain of A with repository "app" and, when given, a domain policy. */
  private static void domainOfA(String domain, String domainPolicy) {
    codeartifactA.createDomain(b -> b.domain(domain));
    codeartifactA.createRepository(b -> b.domain(domain).repository("app"));
    if (domainPolicy != null) {
      codeartifactA.putDomainPermissionsPolicy(b -> b.domain(domain).policyDocument(domainPolicy));
    }
  }

  private static String tokenForA(CodeartifactClient caller, String domain) {
    return caller.getAuthorizationToken(b -> b.domain(domain).domainOwner(accountA)).authorizationToken();
  }

  private static int read(String domain, String token) {
    URI endpoint = URI.create(codeartifactA.getRepositoryEndpoint(b -> b.domain(domain).repository("app").format("npm"))
        .repositoryEndpoint());
    try {
      return HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aUserOfAnotherAccountIsDeniedATokenWithoutADomainPolicy() {
    domainOfA("xa-closed", null);
    CodeartifactClient bob = userOfB("xa-bob", allow(TOKEN_AND_READ));

    AccessDeniedException denied = awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> tokenForA(bob, "xa-closed"));
    assertThat(denied.awsErrorDetails().errorMessage()).contains("codeartifact:GetAuthorizationToken");
  }

  @Test
  void aUserOfAnotherAccountGetsATokenWhenTheDomainPolicyAndItsOwnPolicyBothAllow() {
    domainOfA("xa-open", allowAccountB("\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\""));
    CodeartifactClient carol = userOfB("xa-carol", allow(TOKEN_AND_READ));
    CodeartifactClient withoutPolicy = userOfB("xa-no-policy", null);
    CodeartifactClient withoutBearer = userOfB("xa-no-bearer", allow("\"codeartifact:GetAuthorizationToken\""));

    assertThat(tokenForA(carol, "xa-open")).isNotBlank();
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> tokenForA(withoutPolicy, "xa-open"));
    AccessDeniedException noBearer = awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> tokenForA(withoutBearer, "xa-open"));
    assertThat(noBearer.awsErrorDetails().errorMessage()).contains("sts:GetServiceBearerToken");
  }

  @Test
  void withoutTheDomainOwnerTheDomainIsLookedForInTheCallersOwnAccount() {
    domainOfA("xa-owner", allowAccountB("\"codeartifact:GetAuthorizationToken\""));
    CodeartifactClient dave = userOfB("xa-dave", allow(TOKEN_AND_READ));

    ResourceNotFoundException missing = awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> dave.getAuthorizationToken(b -> b.domain("xa-owner")));
    assertThat(missing.awsErrorDetails().errorMessage()).contains(accountB);
    assertThat(tokenForA(dave, "xa-owner")).isNotBlank();
  }

  @Test
  void aTokenOfAnotherAccountReadsOnlyWhenTheRepositoryPolicyAndItsOwnPolicyBothAllow() {
    domainOfA("xa-read", allowAccountB("\"codeartifact:GetAuthorizationToken\""));
    String erin = tokenForA(userOfB("xa-erin", allow(TOKEN_AND_READ)), "xa-read");
    String frank = tokenForA(userOfB("xa-frank", allow("\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\"")),
        "xa-read");
    assertThat(read("xa-read", erin)).as("no resource policy allows B to read yet").isEqualTo(403);

    codeartifactA.putRepositoryPermissionsPolicy(b -> b.domain("xa-read").repository("app")
        .policyDocument(allowAccountB("\"codeartifact:ReadFromRepository\"")));

    assertThat(read("xa-read", erin)).isEqualTo(200);
    assertThat(read("xa-read", frank)).as("B's own policy does not allow reading").isEqualTo(403);
  }

  @Test
  void aDomainPolicyAllowingReadsReachesEveryRepositoryOfTheDomain() {
    domainOfA("xa-domain-read", allowAccountB(
        "\"codeartifact:GetAuthorizationToken\",\"codeartifact:ReadFromRepository\""));
    String grace = tokenForA(userOfB("xa-grace", allow(TOKEN_AND_READ)), "xa-domain-read");

    assertThat(read("xa-domain-read", grace)).isEqualTo(200);
  }
}
