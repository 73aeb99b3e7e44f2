package dev.wharf.api.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A server of region eu-central-1: signatures count only for that region (and, for IAM and STS, for the
 * regions clients sign their global endpoints with) and for the service called, as AWS checks them. The
 * real aws CLI signs IAM, STS and CodeArtifact with the client's region when given --endpoint-url, and the
 * AWS SDK for Java signs IAM with aws-global when its client's region is Region.AWS_GLOBAL.
 */
class CredentialScopeIT {
  private static final String REGION = "eu-central-1";
  private static final String CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";

  @TempDir static Path data;
  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static TestingAwsCli aws;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data, Clock.systemUTC(), Map.of("WHARF_REGION", REGION));
    root = wharf.rootCredentials();
    aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(root.accessKeyId(), root.secretAccessKey());
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  @Test
  void theAwsCliSigningForTheServersRegionReachesCodeArtifactIamAndSts() {
    assertThat(aws.json("--region", REGION, "codeartifact", "list-domains").has("domains")).isTrue();
    assertThat(aws.json("--region", REGION, "iam", "list-users").has("Users")).isTrue();
    assertThat(aws.json("--region", REGION, "sts", "get-caller-identity").path("Account").asText())
        .isEqualTo(wharf.managementAccountId());
  }

  @Test
  void iamIsGlobalAndAlsoAcceptsTheRegionsOfItsGlobalEndpoint() {
    assertThat(aws.json("--region", "us-east-1", "iam", "list-users").has("Users")).isTrue();
    // the Java SDK signs an endpoint override with aws-global when the client's region is Region.AWS_GLOBAL
    assertThat(wharf.iam(root).listUsers().users()).isNotNull();
  }

  @Test
  void theAwsCliSigningForAnotherRegionIsRefusedByCodeArtifactAndSts() {
    TestingAwsCli.Result codeartifact = aws.run("--region", "eu-west-9", "codeartifact", "list-domains");
    assertThat(codeartifact.exitCode()).as(codeartifact.describe()).isNotZero();
    assertThat(codeartifact.stderr()).contains("InvalidSignatureException")
        .contains("Credential should be scoped to a valid region.");

    TestingAwsCli.Result sts = aws.run("--region", "ap-south-1", "sts", "get-caller-identity");
    assertThat(sts.exitCode()).as(sts.describe()).isNotZero();
    assertThat(sts.stderr()).contains("SignatureDoesNotMatch").contains("Credential should be scoped to a valid region.");

    TestingAwsCli.Result iam = aws.run("--region", "ap-south-1", "iam", "list-users");
    assertThat(iam.exitCode()).as(iam.describe()).isNotZero();
    assertThat(iam.stderr()).contains("SignatureDoesNotMatch").contains("Credential should be scoped to a valid region.");
  }

  @Test
  void aCodeArtifactCallSignedForAnotherServiceOrRegionIsInvalidSignature() {
    TestingSigner.Response s3 = wharf.signer().request("POST", "/v1/domains", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8)).region(REGION).signed(root, "s3");
    assertThat(s3.status()).isEqualTo(403);
    assertThat(s3.header("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    assertThat(s3.body()).contains("Credential should be scoped to correct service: 'codeartifact'.");

    TestingSigner.Response elsewhere = wharf.signer().request("POST", "/v1/domains", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8)).region("eu-west-9").signed(root, "codeartifact");
    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(elsewhere.header("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    assertThat(elsewhere.body()).contains("Credential should be scoped to a valid region.");

    TestingSigner.Response right = wharf.signer().request("POST", "/v1/domains", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8)).region(REGION).signed(root, "codeartifact");
    assertThat(right.status()).as(right.body()).isEqualTo(200);
  }

  @Test
  void aQueryCallMustBeSignedForTheServiceOfItsAction() {
    TestingSigner.AwsError s3 = wharf.signer().form(CALLER_IDENTITY).region(REGION).signed(root, "s3").error();
    assertThat(s3.code()).isEqualTo("SignatureDoesNotMatch");
    assertThat(s3.message()).isEqualTo("Credential should be scoped to correct service: 'sts'.");

    TestingSigner.AwsError iamForSts = wharf.signer().form(CALLER_IDENTITY).region(REGION).signed(root, "iam").error();
    assertThat(iamForSts.message()).isEqualTo("Credential should be scoped to correct service: 'sts'.");

    TestingSigner.AwsError codeartifact = wharf.signer().form("Action=ListUsers&Version=2010-05-08").region(REGION)
        .signed(root, "codeartifact").error();
    assertThat(codeartifact.message()).isEqualTo("Credential should be scoped to correct service: 'iam'.");

    TestingSigner.Response right = wharf.signer().form(CALLER_IDENTITY).region(REGION).signed(root, "sts");
    assertThat(right.status()).as(right.body()).isEqualTo(200);
  }

  @Test
  void aPresignedUrlOfAnotherRegionOrServiceIsRefusedToo() {
    TestingSigner signer = wharf.signer();
    var elsewhere = signer.get(CALLER_IDENTITY).region("eu-west-9")
        .presignedAt(root, "sts", wharf.clock().instant(), Duration.ofMinutes(5));
    TestingSigner.Response refused = signer.get(CALLER_IDENTITY).sendPresigned(elsewhere);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.error().message()).isEqualTo("Credential should be scoped to a valid region.");

    var wrongService = signer.get(CALLER_IDENTITY).region(REGION)
        .presignedAt(root, "execute-api", wharf.clock().instant(), Duration.ofMinutes(5));
    TestingSigner.AwsError wrong = signer.get(CALLER_IDENTITY).sendPresigned(wrongService).error();
    assertThat(wrong.code()).isEqualTo("SignatureDoesNotMatch");
    assertThat(wrong.message()).isEqualTo("Credential should be scoped to correct service: 'sts'.");

    var right = signer.get(CALLER_IDENTITY).region(REGION)
        .presignedAt(root, "sts", wharf.clock().instant(), Duration.ofMinutes(5));
    TestingSigner.Response accepted = signer.get(CALLER_IDENTITY).sendPresigned(right);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
  }
}
