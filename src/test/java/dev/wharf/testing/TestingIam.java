package dev.wharf.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/** IAM users a test needs as callers, made through the real IAM API. */
public final class TestingIam {
  /** What a developer using a package manager needs: all of CodeArtifact and the bearer token for it. */
  public static final String DEVELOPER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:*\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";

  private TestingIam() {}

  /** Creates a user with one inline policy (none when {@code policy} is null) and an access key; returns the key. */
  public static AwsBasicCredentials user(IamClient iam, String name, String policyName, String policy) {
    iam.createUser(b -> b.userName(name));
    if (policy != null) {
      iam.putUserPolicy(b -> b.userName(name).policyName(policyName).policyDocument(policy));
    }
    AccessKey key = iam.createAccessKey(b -> b.userName(name)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }
}
