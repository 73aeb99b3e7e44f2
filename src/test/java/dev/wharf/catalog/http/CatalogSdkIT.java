package dev.wharf.catalog.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.ConflictException;
import software.amazon.awssdk.services.codeartifact.model.DomainDescription;
import software.amazon.awssdk.services.codeartifact.model.DomainSummary;
import software.amazon.awssdk.services.codeartifact.model.ListRepositoriesResponse;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.RepositoryDescription;
import software.amazon.awssdk.services.codeartifact.model.RepositorySummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ResourcePolicy;
import software.amazon.awssdk.services.codeartifact.model.ResourceType;
import software.amazon.awssdk.services.codeartifact.model.Tag;
import software.amazon.awssdk.services.codeartifact.model.UpstreamRepository;
import software.amazon.awssdk.services.codeartifact.model.UpstreamRepositoryInfo;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;
import software.amazon.awssdk.services.codeartifact.model.ValidationExceptionReason;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * CodeArtifact's control plane through the AWS SDK for Java v2 {@code CodeartifactClient} and the
 * real aws CLI: domains, repositories and their upstreams, permissions policies, tags and
 * repository endpoints, with the exception types, error codes and statuses AWS uses. Each test
 * works on its own domains, so they share one server.
 */
class CatalogSdkIT {
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

  private static String domainArn(String domain) {
    return "arn:aws:codeartifact:us-east-1:" + account + ":domain/" + domain;
  }

  private static String repositoryArn(String domain, String repository) {
    return "arn:aws:codeartifact:us-east-1:" + account + ":repository/" + domain + "/" + repository;
  }

  private static void createDomain(String domain) {
    codeartifact.createDomain(b -> b.domain(domain));
  }

  private static RepositoryDescription createRepository(String domain, String repository, String... upstreams) {
    return codeartifact.createRepository(b -> b.domain(domain).repository(repository).upstreams(upstreams(upstreams)))
        .repository();
  }

  private static List<UpstreamRepository> upstreams(String... names) {
    return java.util.Arrays.stream(names).map(n -> UpstreamRepository.builder().repositoryName(n).build()).toList();
  }

  private static RepositoryDescription updateUpstreams(String domain, String repository, String... upstreams) {
    return codeartifact.updateRepository(b -> b.domain(domain).repository(repository).upstreams(upstreams(upstreams)))
        .repository();
  }

  private static List<String> upstreamNames(RepositoryDescription repository) {
    return repository.upstreams().stream().map(UpstreamRepositoryInfo::repositoryName).toList();
  }

  private static String allow(String action) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account
        + ":root\"},\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
  }

  // ---------------------------------------------------------------- domains

  @Test
  void aDomainIsCreatedDescribedListedAndDeletedUnderItsAwsArn() {
    Instant before = Instant.now().minusSeconds(1);
    DomainDescription created = codeartifact.createDomain(b -> b.domain("cat-life")).domain();

    assertThat(created.name()).isEqualTo("cat-life");
    assertThat(created.owner()).isEqualTo(account);
    assertThat(created.arn()).isEqualTo(domainArn("cat-life"));
    assertThat(created.statusAsString()).isEqualTo("Active");
    assertThat(created.createdTime()).isAfter(before);
    assertThat(created.encryptionKey()).isEqualTo("arn:aws:kms:us-east-1:" + account + ":alias/aws/codeartifact");
    DomainDescription described = codeartifact.describeDomain(b -> b.domain("cat-life").domainOwner(account)).domain();
    assertThat(described.arn()).isEqualTo(created.arn());
    assertThat(described.repositoryCount()).isZero();
    assertThat(codeartifact.listDomainsPaginator(b -> b.maxResults(1)).domains().stream().map(DomainSummary::name))
        .contains("cat-life");

    assertThat(codeartifact.deleteDomain(b -> b.domain("cat-life")).domain().arn()).isEqualTo(domainArn("cat-life"));
    assertThat(codeartifact.listDomains(b -> { }).domains()).extracting(DomainSummary::name).doesNotContain("cat-life");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeDomain(b -> b.domain("cat-life")));
  }

  @Test
  void domainNamesOutsideCodeArtifactsRulesAreValidationErrors() {
    for (String name : List.of("Upper", "a", "-lead", "trail-", "under_score", "x".repeat(51), "dot.ted")) {
      ValidationException refused = awsError(ValidationException.class, "ValidationException", 400,
          () -> codeartifact.createDomain(b -> b.domain(name)));
      assertThat(refused.reason()).as(name).isEqualTo(ValidationExceptionReason.FIELD_VALIDATION_FAILED);
      assertThat(refused.awsErrorDetails().errorMessage()).contains("domain");
    }
    createDomain("cat-" + "x".repeat(46));
    createDomain("c2");
  }

  @Test
  void aSecondDomainOfTheSameNameIsAConflict() {
    createDomain("cat-twice");
    ConflictException conflict = awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.createDomain(b -> b.domain("cat-twice")));
    assertThat(conflict.resourceType()).isEqualTo(ResourceType.DOMAIN);
    assertThat(conflict.resourceId()).isEqualTo("cat-twice");
  }

  @Test
  void aDomainThatHoldsRepositoriesCannotBeDeleted() {
    createDomain("cat-full");
    createRepository("cat-full", "only");
    assertThat(codeartifact.describeDomain(b -> b.domain("cat-full")).domain().repositoryCount()).isEqualTo(1);

    ConflictException conflict = awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.deleteDomain(b -> b.domain("cat-full")));
    assertThat(conflict.resourceType()).isEqualTo(ResourceType.DOMAIN);
    assertThat(codeartifact.describeDomain(b -> b.domain("cat-full")).domain().name()).isEqualTo("cat-full");

    codeartifact.deleteRepository(b -> b.domain("cat-full").repository("only"));
    codeartifact.deleteDomain(b -> b.domain("cat-full"));
  }

  @Test
  void aMissingDomainIsResourceNotFoundNamingTheDomain() {
    List<Runnable> calls = List.of(
        () -> codeartifact.describeDomain(b -> b.domain("cat-missing")),
        () -> codeartifact.deleteDomain(b -> b.domain("cat-missing")),
        () -> codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-missing")),
        () -> codeartifact.createRepository(b -> b.domain("cat-missing").repository("app")),
        () -> codeartifact.listRepositoriesInDomain(b -> b.domain("cat-missing")));
    for (Runnable call : calls) {
      ResourceNotFoundException missing = awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
          call::run);
      assertThat(missing.resourceType()).isEqualTo(ResourceType.DOMAIN);
      assertThat(missing.resourceId()).isEqualTo("cat-missing");
    }
  }

  @Test
  void aDomainPolicyHasRevisionsAndAStaleRevisionIsAConflict() {
    createDomain("cat-policy");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-policy")));

    ResourcePolicy first = codeartifact.putDomainPermissionsPolicy(b -> b.domain("cat-policy")
        .policyDocument(allow("codeartifact:GetAuthorizationToken"))).policy();
    assertThat(first.resourceArn()).isEqualTo(domainArn("cat-policy"));
    assertThat(first.revision()).isNotBlank();
    ResourcePolicy read = codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-policy").domainOwner(account)).policy();
    assertThat(read.document()).isEqualTo(allow("codeartifact:GetAuthorizationToken"));
    assertThat(read.revision()).isEqualTo(first.revision());

    ResourcePolicy second = codeartifact.putDomainPermissionsPolicy(b -> b.domain("cat-policy")
        .policyRevision(first.revision()).policyDocument(allow("codeartifact:ReadFromRepository"))).policy();
    assertThat(second.revision()).isNotEqualTo(first.revision());
    ConflictException stale = awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.putDomainPermissionsPolicy(b -> b.domain("cat-policy").policyRevision(first.revision())
            .policyDocument(allow("codeartifact:*"))));
    assertThat(stale.resourceType()).isEqualTo(ResourceType.DOMAIN);
    awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.deleteDomainPermissionsPolicy(b -> b.domain("cat-policy").policyRevision(first.revision())));
    assertThat(codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-policy")).policy().document())
        .isEqualTo(allow("codeartifact:ReadFromRepository"));

    ResourcePolicy deleted = codeartifact.deleteDomainPermissionsPolicy(b -> b.domain("cat-policy")
        .policyRevision(second.revision())).policy();
    assertThat(deleted.revision()).isEqualTo(second.revision());
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-policy")));
  }

  @Test
  void aMalformedDomainPolicyIsAValidationErrorAndLeavesThePolicyAsItWas() {
    createDomain("cat-bad-policy");
    for (String document : List.of("not json", "{}", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\","
        + "\"Principal\":\"*\",\"Action\":\"codeartifact:*\",\"Resource\":\"*\"}]}",
        // AWS supports NotPrincipal only with Deny: an Allow would grant everyone it does not name
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":"
            + "\"arn:aws:iam::111111111111:root\"},\"Action\":\"codeartifact:*\",\"Resource\":\"*\"}]}")) {
      awsError(ValidationException.class, "ValidationException", 400,
          () -> codeartifact.putDomainPermissionsPolicy(b -> b.domain("cat-bad-policy").policyDocument(document)));
    }
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getDomainPermissionsPolicy(b -> b.domain("cat-bad-policy")));
  }

  // ---------------------------------------------------------------- repositories

  @Test
  void aRepositoryIsCreatedWithOrderedUpstreamsAndDescribedUnderItsAwsArn() {
    createDomain("cat-repos");
    createRepository("cat-repos", "npm-store");
    createRepository("cat-repos", "pypi-store");
    RepositoryDescription app = codeartifact.createRepository(b -> b.domain("cat-repos").domainOwner(account)
        .repository("app").description("the app's packages").upstreams(upstreams("pypi-store", "npm-store"))).repository();

    assertThat(app.arn()).isEqualTo(repositoryArn("cat-repos", "app"));
    assertThat(app.domainName()).isEqualTo("cat-repos");
    assertThat(app.domainOwner()).isEqualTo(account);
    assertThat(app.administratorAccount()).isEqualTo(account);
    assertThat(app.description()).isEqualTo("the app's packages");
    assertThat(upstreamNames(app)).containsExactly("pypi-store", "npm-store");
    RepositoryDescription described = codeartifact.describeRepository(b -> b.domain("cat-repos").repository("app")).repository();
    assertThat(upstreamNames(described)).containsExactly("pypi-store", "npm-store");
    assertThat(described.externalConnections()).isEmpty();

    ConflictException twice = awsError(ConflictException.class, "ConflictException", 409,
        () -> createRepository("cat-repos", "app"));
    assertThat(twice.resourceType()).isEqualTo(ResourceType.REPOSITORY);
    ResourceNotFoundException missing = awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeRepository(b -> b.domain("cat-repos").repository("nope")));
    assertThat(missing.resourceType()).isEqualTo(ResourceType.REPOSITORY);
    assertThat(missing.resourceId()).isEqualTo("nope");
    awsError(ValidationException.class, "ValidationException", 400, () -> createRepository("cat-repos", "x"));
    awsError(ValidationException.class, "ValidationException", 400, () -> createRepository("cat-repos", "-lead"));
  }

  @Test
  void repositoriesAreListedByPrefixInPagesBothByHandAndWithTheSdkPaginators() {
    createDomain("cat-pages");
    List<String> names = IntStream.range(0, 7).mapToObj(i -> "pg-" + i).toList();
    names.forEach(name -> createRepository("cat-pages", name));
    createRepository("cat-pages", "other");

    List<String> byHand = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      ListRepositoriesResponse page = codeartifact.listRepositories(b -> b.repositoryPrefix("pg-").maxResults(3).nextToken(next));
      assertThat(page.repositories()).hasSizeLessThanOrEqualTo(3);
      page.repositories().forEach(r -> byHand.add(r.name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(byHand).containsExactlyElementsOf(names);
    assertThat(pages).isEqualTo(3);

    assertThat(codeartifact.listRepositoriesPaginator(b -> b.repositoryPrefix("pg-").maxResults(2)).repositories().stream()
        .map(RepositorySummary::name)).containsExactlyElementsOf(names);
    List<RepositorySummary> inDomain = codeartifact.listRepositoriesInDomainPaginator(b -> b.domain("cat-pages").maxResults(2))
        .repositories().stream().toList();
    assertThat(inDomain).extracting(RepositorySummary::name).containsExactlyInAnyOrder(
        "pg-0", "pg-1", "pg-2", "pg-3", "pg-4", "pg-5", "pg-6", "other");
    assertThat(inDomain).allSatisfy(r -> {
      assertThat(r.domainName()).isEqualTo("cat-pages");
      assertThat(r.arn()).isEqualTo(repositoryArn("cat-pages", r.name()));
    });
    assertThat(codeartifact.listRepositoriesInDomain(b -> b.domain("cat-pages").repositoryPrefix("oth")).repositories())
        .extracting(RepositorySummary::name).containsExactly("other");
    awsError(ValidationException.class, "ValidationException", 400,
        () -> codeartifact.listRepositories(b -> b.repositoryPrefix("pg-").nextToken("not-a-token")));
  }

  @Test
  void updateChangesTheDescriptionAndUpstreamsWithinTheSameDomainOnly() {
    createDomain("cat-update");
    createDomain("cat-elsewhere");
    createRepository("cat-update", "base");
    createRepository("cat-update", "app");
    createRepository("cat-elsewhere", "foreign");

    RepositoryDescription described = codeartifact.updateRepository(b -> b.domain("cat-update").repository("app")
        .description("now described")).repository();
    assertThat(described.description()).isEqualTo("now described");
    assertThat(upstreamNames(updateUpstreams("cat-update", "app", "base"))).containsExactly("base");
    assertThat(codeartifact.describeRepository(b -> b.domain("cat-update").repository("app")).repository().description())
        .as("an update of upstreams keeps the description").isEqualTo("now described");

    ResourceNotFoundException foreign = awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> updateUpstreams("cat-update", "app", "foreign"));
    assertThat(foreign.resourceType()).isEqualTo(ResourceType.REPOSITORY);
    awsError(ValidationException.class, "ValidationException", 400, () -> updateUpstreams("cat-update", "app", "app"));
    awsError(ValidationException.class, "ValidationException", 400, () -> updateUpstreams("cat-update", "app", "base", "base"));
    assertThat(upstreamNames(codeartifact.describeRepository(b -> b.domain("cat-update").repository("app")).repository()))
        .as("refused updates change nothing").containsExactly("base");

    assertThat(upstreamNames(updateUpstreams("cat-update", "app"))).isEmpty();
  }

  @Test
  void anUpstreamThatWouldCloseACycleIsRefused() {
    createDomain("cat-cycle");
    createRepository("cat-cycle", "aa");
    createRepository("cat-cycle", "bb", "aa");
    createRepository("cat-cycle", "cc", "bb");

    awsError(ValidationException.class, "ValidationException", 400, () -> updateUpstreams("cat-cycle", "aa", "bb"));
    ValidationException longer = awsError(ValidationException.class, "ValidationException", 400,
        () -> updateUpstreams("cat-cycle", "aa", "cc"));
    assertThat(longer.awsErrorDetails().errorMessage()).contains("cycle");
    assertThat(upstreamNames(codeartifact.describeRepository(b -> b.domain("cat-cycle").repository("aa")).repository())).isEmpty();
  }

  @Test
  void aRepositoryHasAtMostTenUpstreams() {
    createDomain("cat-ten");
    String[] eleven = IntStream.range(0, 11).mapToObj(i -> "up-" + i).toArray(String[]::new);
    for (String name : eleven) {
      createRepository("cat-ten", name);
    }
    createRepository("cat-ten", "app");

    assertThat(upstreamNames(updateUpstreams("cat-ten", "app", java.util.Arrays.copyOf(eleven, 10)))).hasSize(10);
    awsError(ValidationException.class, "ValidationException", 400, () -> updateUpstreams("cat-ten", "app", eleven));
    awsError(ValidationException.class, "ValidationException", 400, () -> createRepository("cat-ten", "app2", eleven));
  }

  @Test
  void tagsAreGuardedByTagResourceAndTheTagConditionKeys() {
    createDomain("cat-tagguard");
    createRepository("cat-tagguard", "plain");
    // May create and tag anything, except create with tags without TagResource, and never touch the "owner" tag.
    IamClient iam = wharf.iam(wharf.rootCredentials());
    iam.createUser(b -> b.userName("cat-tagguard-dev"));
    iam.putUserPolicy(b -> b.userName("cat-tagguard-dev").policyName("dev").policyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":[\"codeartifact:TagResource\",\"codeartifact:UntagResource\"],"
        + "\"Resource\":\"*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"owner\"}}},"
        + "{\"Effect\":\"Deny\",\"Action\":\"codeartifact:TagResource\",\"Resource\":\"*\",\"Condition\":"
        + "{\"StringEquals\":{\"aws:RequestTag/stage\":\"prod\"}}}]}"));
    var key = iam.createAccessKey(b -> b.userName("cat-tagguard-dev")).accessKey();
    CodeartifactClient dev = wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    String plain = repositoryArn("cat-tagguard", "plain");
    codeartifact.tagResource(b -> b.resourceArn(plain).tags(tag("owner", "team-a")));

    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> dev.untagResource(b -> b.resourceArn(plain).tagKeys("owner")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> dev.tagResource(b -> b.resourceArn(plain).tags(tag("owner", "mallory"))));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> dev.tagResource(b -> b.resourceArn(plain).tags(tag("stage", "prod"))));
    dev.tagResource(b -> b.resourceArn(plain).tags(tag("stage", "dev")));
    assertThat(codeartifact.listTagsForResource(b -> b.resourceArn(plain)).tags())
        .containsExactlyInAnyOrder(tag("owner", "team-a"), tag("stage", "dev"));

    // Creating with tags is tagging: it needs TagResource for those tags too, as in AWS.
    AccessDeniedException created = awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> dev.createRepository(b -> b.domain("cat-tagguard").repository("owned").tags(tag("owner", "mallory"))));
    assertThat(created.awsErrorDetails().errorMessage()).contains("codeartifact:TagResource");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeRepository(b -> b.domain("cat-tagguard").repository("owned")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> dev.createDomain(b -> b.domain("cat-tagguard-prod").tags(tag("stage", "prod"))));
    dev.createRepository(b -> b.domain("cat-tagguard").repository("owned").tags(tag("stage", "dev")));
    dev.createDomain(b -> b.domain("cat-tagguard-dev"));
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  @Test
  void namingAnUpstreamNeedsAssociateWithDownstreamRepositoryOnIt() {
    createDomain("cat-assoc");
    createRepository("cat-assoc", "secret");
    createRepository("cat-assoc", "shared");
    createRepository("cat-assoc", "mine");
    // Everything on the domain's repositories except associating "secret" as somebody's upstream.
    IamClient iam = wharf.iam(wharf.rootCredentials());
    iam.createUser(b -> b.userName("cat-assoc-dev"));
    iam.putUserPolicy(b -> b.userName("cat-assoc-dev").policyName("dev").policyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":\"codeartifact:AssociateWithDownstreamRepository\",\"Resource\":\""
        + repositoryArn("cat-assoc", "secret") + "\"}]}"));
    var key = iam.createAccessKey(b -> b.userName("cat-assoc-dev")).accessKey();
    CodeartifactClient dev = wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));

    AccessDeniedException created = awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> dev
        .createRepository(b -> b.domain("cat-assoc").repository("reader").upstreams(upstreams("shared", "secret"))));
    assertThat(created.awsErrorDetails().errorMessage()).contains("codeartifact:AssociateWithDownstreamRepository",
        repositoryArn("cat-assoc", "secret"));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeRepository(b -> b.domain("cat-assoc").repository("reader")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> dev.updateRepository(b -> b
        .domain("cat-assoc").repository("mine").upstreams(upstreams("secret"))));
    assertThat(upstreamNames(codeartifact.describeRepository(b -> b.domain("cat-assoc").repository("mine"))
        .repository())).isEmpty();

    // Allowed on "shared": both operations work, and a description change alone names no upstream.
    assertThat(upstreamNames(dev.updateRepository(b -> b.domain("cat-assoc").repository("mine")
        .upstreams(upstreams("shared"))).repository())).containsExactly("shared");
    assertThat(upstreamNames(dev.createRepository(b -> b.domain("cat-assoc").repository("reader")
        .upstreams(upstreams("shared"))).repository())).containsExactly("shared");
    assertThat(dev.updateRepository(b -> b.domain("cat-assoc").repository("mine").description("mine"))
        .repository().description()).isEqualTo("mine");
  }

  @Test
  void aRepositoryCannotBeDeletedWhileItIsAnotherOnesUpstream() {
    createDomain("cat-delete");
    createRepository("cat-delete", "base");
    createRepository("cat-delete", "app", "base");

    ConflictException conflict = awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.deleteRepository(b -> b.domain("cat-delete").repository("base")));
    assertThat(conflict.resourceType()).isEqualTo(ResourceType.REPOSITORY);
    assertThat(conflict.resourceId()).isEqualTo("base");

    updateUpstreams("cat-delete", "app");
    assertThat(codeartifact.deleteRepository(b -> b.domain("cat-delete").repository("base")).repository().arn())
        .isEqualTo(repositoryArn("cat-delete", "base"));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeRepository(b -> b.domain("cat-delete").repository("base")));
  }

  @Test
  void aRepositoryPolicyIsPutReadAndDeletedWithRevisions() {
    createDomain("cat-repo-policy");
    createRepository("cat-repo-policy", "app");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")));

    ResourcePolicy put = codeartifact.putRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")
        .policyDocument(allow("codeartifact:ReadFromRepository"))).policy();
    assertThat(put.resourceArn()).isEqualTo(repositoryArn("cat-repo-policy", "app"));
    ResourcePolicy read = codeartifact.getRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")).policy();
    assertThat(read.document()).isEqualTo(allow("codeartifact:ReadFromRepository"));
    assertThat(read.revision()).isEqualTo(put.revision());
    awsError(ConflictException.class, "ConflictException", 409,
        () -> codeartifact.putRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")
            .policyRevision("stale").policyDocument(allow("codeartifact:*"))));
    awsError(ValidationException.class, "ValidationException", 400,
        () -> codeartifact.putRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")
            .policyDocument("{\"Statement\":[]")));

    ResourcePolicy deleted = codeartifact.deleteRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")
        .policyRevision(put.revision())).policy();
    assertThat(deleted.document()).isEqualTo(allow("codeartifact:ReadFromRepository"));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("app")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.putRepositoryPermissionsPolicy(b -> b.domain("cat-repo-policy").repository("missing")
            .policyDocument(allow("codeartifact:*"))));
  }

  /**
   * Regression: the policy cache once loaded a domain's entry from inside the loader of one of its
   * repositories' entries, which throws "Recursive update" (answered 500) when both keys share a
   * hash bin. This picks a repository name whose cache key shares the domain key's bin in any
   * table of up to 1024 bins, so the case is exercised on every run.
   */
  @Test
  void aRepositoryPolicyIsServedWhateverTheRepositorysNameHashesTo() {
    createDomain("cat-bins");
    int domainBin = bin("d/" + account + "/cat-bins");
    String name = IntStream.range(0, 1_000_000).mapToObj(i -> "bin-" + i)
        .filter(candidate -> bin("r/" + account + "/cat-bins/" + candidate) == domainBin).findFirst().orElseThrow();
    createRepository("cat-bins", name);

    codeartifact.putRepositoryPermissionsPolicy(b -> b.domain("cat-bins").repository(name)
        .policyDocument(allow("codeartifact:ReadFromRepository")));

    assertThat(codeartifact.getRepositoryPermissionsPolicy(b -> b.domain("cat-bins").repository(name)).policy().resourceArn())
        .isEqualTo(repositoryArn("cat-bins", name));
  }

  /** The low ten bits of the spread hash ConcurrentHashMap uses to choose a bin. */
  private static int bin(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & 0x3ff;
  }

  // ---------------------------------------------------------------- tags

  @Test
  void domainsAndRepositoriesAreTaggedAndUntaggedByArn() {
    createDomain("cat-tags");
    createRepository("cat-tags", "app");
    for (String arn : List.of(domainArn("cat-tags"), repositoryArn("cat-tags", "app"))) {
      codeartifact.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("team").value("core").build(),
          Tag.builder().key("cost").value("42").build()));
      assertThat(codeartifact.listTagsForResource(b -> b.resourceArn(arn)).tags())
          .extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("team", "core"), org.assertj.core.groups.Tuple.tuple("cost", "42"));
      codeartifact.untagResource(b -> b.resourceArn(arn).tagKeys("cost"));
      assertThat(codeartifact.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("team");
    }
    codeartifact.createDomain(b -> b.domain("cat-tagged-at-birth").tags(Tag.builder().key("k").value("v").build()));
    assertThat(codeartifact.listTagsForResource(b -> b.resourceArn(domainArn("cat-tagged-at-birth"))).tags())
        .extracting(Tag::key).containsExactly("k");
  }

  @Test
  void taggingAnArnThatNamesNothingIsResourceNotFound() {
    for (String arn : List.of(domainArn("cat-no-such"), repositoryArn("cat-no-such", "app"))) {
      awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
          () -> codeartifact.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("k").value("v").build())));
      awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
          () -> codeartifact.listTagsForResource(b -> b.resourceArn(arn)));
      awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
          () -> codeartifact.untagResource(b -> b.resourceArn(arn).tagKeys("k")));
    }
  }

  // ---------------------------------------------------------------- endpoints

  @Test
  void theRepositoryEndpointIsBaseDomainOwnerFormatAndRepository() {
    createDomain("cat-endpoint");
    createRepository("cat-endpoint", "app");
    for (PackageFormat format : List.of(PackageFormat.NPM, PackageFormat.PYPI, PackageFormat.MAVEN, PackageFormat.GENERIC)) {
      String endpoint = codeartifact.getRepositoryEndpoint(b -> b.domain("cat-endpoint").domainOwner(account)
          .repository("app").format(format)).repositoryEndpoint();
      assertThat(endpoint).isEqualTo(wharf.endpoint() + "/cat-endpoint-" + account + "/" + format + "/app/");
    }
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.getRepositoryEndpoint(b -> b.domain("cat-endpoint").repository("none").format(PackageFormat.NPM)));
  }

  @Test
  void theRepositoryEndpointFollowsThePublicUrl() {
    try (TestingServer proxied = TestingServer.start(scratch.resolve("public-url"), java.time.Clock.systemUTC(),
        Map.of("WHARF_PUBLIC_URL", "https://repo.example.com"))) {
      CodeartifactClient client = proxied.codeartifact(proxied.rootCredentials());
      client.createDomain(b -> b.domain("acme"));
      client.createRepository(b -> b.domain("acme").repository("app"));
      String endpoint = client.getRepositoryEndpoint(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI))
          .repositoryEndpoint();
      assertThat(endpoint).isEqualTo("https://repo.example.com/acme-" + proxied.managementAccountId() + "/pypi/app/");
    }
  }

  // ---------------------------------------------------------------- protocol

  @Test
  void anUnknownPathUnderV1IsAnErrorAndNeverA500() {
    TestingSigner.Response unknown = wharf.signer().request("POST", "/v1/no-such-operation", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8)).signed(wharf.rootCredentials(), "codeartifact");
    assertThat(unknown.status()).as(unknown.body()).isBetween(400, 499);
    assertThat(unknown.header("x-amzn-ErrorType")).isPresent();

    TestingSigner.Response wrongMethod = wharf.signer().request("PATCH", "/v1/domain", "domain=cat-patch")
        .signed(wharf.rootCredentials(), "codeartifact");
    assertThat(wrongMethod.status()).as(wrongMethod.body()).isBetween(400, 499);

    TestingSigner.Response unsigned = wharf.signer().request("GET", "/v1/no-such-operation", null).unsigned();
    assertThat(unsigned.status()).as(unsigned.body()).isBetween(400, 499);
  }

  @Test
  void aMalformedJsonBodyIsAValidationException() {
    for (String body : List.of("{\"tags\": [", "[1,2]", "\"text\"")) {
      TestingSigner.Response response = wharf.signer().request("POST", "/v1/domain", "domain=cat-json")
          .body("application/json", body.getBytes(StandardCharsets.UTF_8)).signed(wharf.rootCredentials(), "codeartifact");
      assertThat(response.status()).as(body + " -> " + response.body()).isEqualTo(400);
      assertThat(response.header("x-amzn-ErrorType")).hasValueSatisfying(type -> assertThat(type).startsWith("ValidationException"));
    }
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> codeartifact.describeDomain(b -> b.domain("cat-json")));
  }

  // ---------------------------------------------------------------- the real aws CLI

  @Test
  void theAwsCliManagesDomainsRepositoriesAndEndpoints() {
    TestingAwsCli aws = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());

    JsonNode domain = aws.json("codeartifact", "create-domain", "--domain", "cat-cli");
    assertThat(domain.at("/domain/arn").asText()).isEqualTo(domainArn("cat-cli"));
    aws.json("codeartifact", "create-repository", "--domain", "cat-cli", "--repository", "base");
    JsonNode app = aws.json("codeartifact", "create-repository", "--domain", "cat-cli", "--domain-owner", account,
        "--repository", "app", "--description", "from the CLI", "--upstreams", "repositoryName=base");
    assertThat(app.at("/repository/arn").asText()).isEqualTo(repositoryArn("cat-cli", "app"));
    assertThat(app.at("/repository/upstreams/0/repositoryName").asText()).isEqualTo("base");

    JsonNode listed = aws.json("codeartifact", "list-repositories-in-domain", "--domain", "cat-cli");
    assertThat(listed.path("repositories").findValuesAsText("name")).containsExactlyInAnyOrder("base", "app");
    JsonNode paged = aws.json("codeartifact", "list-repositories", "--repository-prefix", "ap", "--page-size", "1");
    assertThat(paged.path("repositories").findValuesAsText("domainName")).contains("cat-cli");

    for (String format : List.of("npm", "pypi", "maven", "generic")) {
      JsonNode endpoint = aws.json("codeartifact", "get-repository-endpoint", "--domain", "cat-cli", "--domain-owner", account,
          "--repository", "app", "--format", format);
      assertThat(endpoint.path("repositoryEndpoint").asText())
          .isEqualTo(wharf.endpoint() + "/cat-cli-" + account + "/" + format + "/app/");
    }

    TestingAwsCli.Result refused = aws.run("codeartifact", "delete-repository", "--domain", "cat-cli", "--repository", "base");
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(255);
    assertThat(refused.stderr()).contains("ConflictException");
    TestingAwsCli.Result missing = aws.run("codeartifact", "describe-domain", "--domain", "cat-cli-missing");
    assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(255);
    assertThat(missing.stderr()).contains("ResourceNotFoundException");
    TestingAwsCli.Result invalid = aws.run("codeartifact", "create-domain", "--domain", "Not_Valid");
    assertThat(invalid.exitCode()).as(invalid.describe()).isEqualTo(255);
    assertThat(invalid.stderr()).contains("ValidationException");

    aws.json("codeartifact", "tag-resource", "--resource-arn", repositoryArn("cat-cli", "app"), "--tags", "key=team,value=core");
    JsonNode tags = aws.json("codeartifact", "list-tags-for-resource", "--resource-arn", repositoryArn("cat-cli", "app"));
    assertThat(tags.at("/tags/0/key").asText()).isEqualTo("team");
    assertThat(tags.at("/tags/0/value").asText()).isEqualTo("core");
  }
}
