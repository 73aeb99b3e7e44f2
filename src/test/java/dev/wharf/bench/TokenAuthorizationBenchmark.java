package dev.wharf.bench;

import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.infrastructure.SqlCatalogStore;
import dev.wharf.crypto.MasterKey;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.store.Database;
import dev.wharf.token.IssuedToken;
import dev.wharf.token.RepositoryAccessService;
import dev.wharf.token.TokenService;
import dev.wharf.token.infrastructure.SqlTokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Verifying a token and authorizing a package read from warm caches: what every npm/pip/Maven
 * request costs before it touches a package. The user has 3 identity policies, the domain and the
 * repository each a resource policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenAuthorizationBenchmark {
  private static final String ACCOUNT = "111122223333";
  private Path directory;
  private Database database;
  private RepositoryAccessService access;
  private String token;
  private final PermissionService.RequestOrigin origin = new PermissionService.RequestOrigin("10.0.0.7", true);

  @Setup
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("wharf-bench");
    database = Database.open("jdbc:sqlite:" + directory.resolve("bench.db"));
    Clock clock = Clock.systemUTC();
    SecretCipher cipher = new SecretCipher(MasterKey.random());
    SqlIdentityStore identities = new SqlIdentityStore(database);
    IdentityService identity = new IdentityService(identities, cipher, clock);
    identity.createAccount(ACCOUNT, "bench", true);
    IamUser user = identity.createUser(ACCOUNT, "ci", "/");
    identity.putUserPolicy(ACCOUNT, "ci", "read", """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["codeartifact:ReadFromRepository","codeartifact:Describe*","codeartifact:List*"],
           "Resource":"arn:aws:codeartifact:us-east-1:111122223333:repository/acme/*"},
          {"Effect":"Allow","Action":"codeartifact:GetAuthorizationToken","Resource":"*"}]}""");
    identity.putUserPolicy(ACCOUNT, "ci", "deny-other-domains", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"codeartifact:*",
          "Resource":"arn:aws:codeartifact:us-east-1:111122223333:repository/secret/*"}]}""");
    identity.putUserPolicy(ACCOUNT, "ci", "network", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
          "Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}}]}""");
    CatalogService catalog = new CatalogService(new SqlCatalogStore(database), "us-east-1", clock);
    catalog.createDomain(ACCOUNT, "acme", null, List.of());
    catalog.createRepository(ACCOUNT, "acme", "app", ACCOUNT, null, List.of(), List.of());
    catalog.putDomainPolicy(ACCOUNT, "acme", null, """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
          "Action":"codeartifact:*","Resource":"*"}]}""");
    catalog.putRepositoryPolicy(ACCOUNT, "acme", "app", null, """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"codeartifact:ReadFromRepository",
          "Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}""");
    PermissionService permissions = new PermissionService(identities, clock, dev.wharf.metrics.Metrics.none());
    TokenService tokens = new TokenService(new SqlTokenStore(database), identities, cipher, clock, dev.wharf.metrics.Metrics.none());
    access = new RepositoryAccessService(tokens, catalog, permissions);
    IssuedToken issued = tokens.issue(user.principal(), ACCOUNT, "acme", Instant.now().plusSeconds(43200));
    token = issued.token();
    if (!(authorize() instanceof RepositoryAccessService.Access.Allowed)) {
      throw new IllegalStateException("setup: the read should be allowed");
    }
  }

  @Benchmark
  public RepositoryAccessService.Access authorize() {
    return access.authorize(token, origin, ACCOUNT, "acme", "app", "codeartifact:ReadFromRepository", null);
  }

  @TearDown
  public void tearDown() throws Exception {
    database.close();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
