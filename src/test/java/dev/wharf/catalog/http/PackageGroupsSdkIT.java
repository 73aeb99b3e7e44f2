package dev.wharf.catalog.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.ConflictException;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupAllowedRepository;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupAssociationType;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupDescription;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestriction;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionMode;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionType;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceType;
import software.amazon.awssdk.services.codeartifact.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.codeartifact.model.Tag;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;

/**
 * Package groups through the AWS SDK for Java v2: its typed model reads every answer (timestamps, restriction
 * maps, parents), and each operation is refused to a caller whose policy does not allow it on the group's ARN.
 */
class PackageGroupsSdkIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient codeartifact;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    codeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void aDomainHoldsUpToItsQuotaOfGroupsAndTheNextIsAServiceQuotaExceededException() throws Exception {
    codeartifact.createDomain(b -> b.domain("quota"));
    int quota = dev.wharf.catalog.PackageGroupService.MAX_GROUPS_PER_DOMAIN;
    List<java.util.concurrent.Future<?>> created = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int i = 1; i < quota; i++) { // the root group is the first
        String pattern = "/generic/team" + i + "/*";
        created.add(pool.submit(() -> codeartifact.createPackageGroup(b -> b.domain("quota").packageGroup(pattern))));
      }
    }
    for (var future : created) {
      future.get();
    }

    ServiceQuotaExceededException refused = awsError(ServiceQuotaExceededException.class,
        "ServiceQuotaExceededException", 402, () -> codeartifact.createPackageGroup(b -> b.domain("quota").packageGroup("/generic/one-too-many/*")));

    assertThat(refused.resourceType()).isEqualTo(ResourceType.DOMAIN);
    assertThat(refused.resourceId()).isEqualTo("quota");
    assertThat(refused.awsErrorDetails().errorMessage()).contains(String.valueOf(quota));
    // an existing pattern is a conflict first
    awsError(ConflictException.class, "ConflictException", 409, () -> codeartifact.createPackageGroup(b -> b
        .domain("quota").packageGroup("/generic/team1/*")));
    codeartifact.deletePackageGroup(b -> b.domain("quota").packageGroup("/generic/team1/*"));
    assertThat(codeartifact.createPackageGroup(b -> b.domain("quota").packageGroup("/generic/one-too-many/*"))
        .packageGroup().pattern()).isEqualTo("/generic/one-too-many/*");
  }

  @Test
  void theSdkReadsEveryPackageGroupAnswer() {
    codeartifact.createDomain(b -> b.domain("typed"));
    codeartifact.createRepository(b -> b.domain("typed").repository("trusted"));
    PackageGroupDescription created = codeartifact.createPackageGroup(b -> b.domain("typed").packageGroup("/npm/*")
        .description("npm").contactInfo("team@example.com").tags(Tag.builder().key("team").value("web").build()))
        .packageGroup();
    assertThat(created.createdTime()).isNotNull();
    assertThat(created.parent().pattern()).isEqualTo("/*");
    assertThat(codeartifact.listTagsForResource(b -> b.resourceArn(created.arn())).tags()).extracting(Tag::value)
        .containsExactly("web");
    codeartifact.createPackageGroup(b -> b.domain("typed").packageGroup("/npm/scope/*"));

    codeartifact.updatePackageGroupOriginConfiguration(b -> b.domain("typed").packageGroup("/npm/*")
        .restrictions(Map.of(PackageGroupOriginRestrictionType.PUBLISH,
            PackageGroupOriginRestrictionMode.ALLOW_SPECIFIC_REPOSITORIES))
        .addAllowedRepositories(PackageGroupAllowedRepository.builder().repositoryName("trusted")
            .originRestrictionType(PackageGroupOriginRestrictionType.PUBLISH).build()));
    PackageGroupOriginRestriction inherited = codeartifact.describePackageGroup(b -> b.domain("typed")
        .packageGroup("/npm/scope/*")).packageGroup().originConfiguration().restrictions()
        .get(PackageGroupOriginRestrictionType.PUBLISH);
    assertThat(inherited.mode()).isEqualTo(PackageGroupOriginRestrictionMode.INHERIT);
    assertThat(inherited.effectiveMode()).isEqualTo(PackageGroupOriginRestrictionMode.ALLOW_SPECIFIC_REPOSITORIES);
    assertThat(inherited.inheritedFrom().pattern()).isEqualTo("/npm/*");
    assertThat(codeartifact.listAllowedRepositoriesForGroup(b -> b.domain("typed").packageGroup("/npm/*")
        .originRestrictionType(PackageGroupOriginRestrictionType.PUBLISH)).allowedRepositories())
        .containsExactly("trusted");

    assertThat(codeartifact.listPackageGroups(b -> b.domain("typed").prefix("/npm")).packageGroups())
        .extracting(PackageGroupSummary::pattern).containsExactly("/npm/*", "/npm/scope/*");
    assertThat(codeartifact.listSubPackageGroups(b -> b.domain("typed").packageGroup("/npm/*")).packageGroups())
        .extracting(PackageGroupSummary::pattern).containsExactly("/npm/scope/*");
    var associated = codeartifact.getAssociatedPackageGroup(b -> b.domain("typed").format(PackageFormat.NPM)
        .namespace("scope").packageValue("ui"));
    assertThat(associated.packageGroup().pattern()).isEqualTo("/npm/scope/*");
    assertThat(associated.associationType()).isEqualTo(PackageGroupAssociationType.STRONG);
    assertThat(codeartifact.listAssociatedPackages(b -> b.domain("typed").packageGroup("/npm/other/*").preview(true))
        .packages()).isEmpty();
    assertThat(codeartifact.updatePackageGroup(b -> b.domain("typed").packageGroup("/npm/*").contactInfo("web@example.com"))
        .packageGroup().contactInfo()).isEqualTo("web@example.com");
    assertThat(codeartifact.deletePackageGroup(b -> b.domain("typed").packageGroup("/npm/*")).packageGroup().pattern())
        .isEqualTo("/npm/*");
    awsError(ValidationException.class, "ValidationException", 400,
        () -> codeartifact.createPackageGroup(b -> b.domain("typed").packageGroup("/npm/scope")));
  }

  @Test
  void aCallerMayDoOnlyWhatItsPolicyAllowsOnTheGroupsArn() {
    codeartifact.createDomain(b -> b.domain("guarded"));
    String groups = "arn:aws:codeartifact:us-east-1:" + account + ":package-group/guarded/";
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        + "[\"codeartifact:CreatePackageGroup\",\"codeartifact:DescribePackageGroup\"],\"Resource\":\"" + groups
        + "%2Fnpm%2F*\"}]}";
    var user = TestingIam.user(wharf.iam(wharf.rootCredentials()), "grouper", "npm-groups", policy);
    CodeartifactClient limited = wharf.codeartifact(user);

    limited.createPackageGroup(b -> b.domain("guarded").packageGroup("/npm/*"));
    assertThat(limited.describePackageGroup(b -> b.domain("guarded").packageGroup("/npm/*")).packageGroup().arn())
        .isEqualTo(groups + "%2Fnpm%2F%2A");
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> limited.createPackageGroup(b -> b.domain("guarded").packageGroup("/pypi/*")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> limited.deletePackageGroup(b -> b.domain("guarded").packageGroup("/npm/*")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> limited.updatePackageGroupOriginConfiguration(b -> b.domain("guarded").packageGroup("/npm/*")
            .restrictions(Map.of(PackageGroupOriginRestrictionType.PUBLISH, PackageGroupOriginRestrictionMode.BLOCK))));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> limited.listPackageGroups(b -> b.domain("guarded")));
    assertThat(codeartifact.listPackageGroups(b -> b.domain("guarded")).packageGroups())
        .extracting(PackageGroupSummary::pattern).containsExactly("/*", "/npm/*");
  }
}
