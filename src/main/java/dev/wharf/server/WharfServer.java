package dev.wharf.server;

import dev.wharf.admin.AdminEndpoints;
import dev.wharf.api.aws.AwsAuthenticator;
import dev.wharf.api.aws.AwsQueryEndpoints;
import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.RestJsonEndpoints;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.audit.AuditLog;
import dev.wharf.audit.http.AuditEndpoints;
import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.http.CatalogEndpoints;
import dev.wharf.catalog.infrastructure.SqlCatalogStore;
import dev.wharf.blob.BlobStore;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.format.RepositoryAuthorizer;
import dev.wharf.format.RepositoryEndpoints;
import dev.wharf.format.maven.MavenEndpoints;
import dev.wharf.format.maven.MavenRegistry;
import dev.wharf.format.npm.NpmEndpoints;
import dev.wharf.format.npm.NpmRegistry;
import dev.wharf.format.pypi.PypiEndpoints;
import dev.wharf.format.pypi.PypiRegistry;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.http.PackageAssetEndpoints;
import dev.wharf.packages.http.PackageEndpoints;
import dev.wharf.packages.http.PackageManagementEndpoints;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.token.RepositoryAccessService;
import dev.wharf.token.TokenGrantService;
import dev.wharf.token.TokenService;
import dev.wharf.token.http.TokenEndpoints;
import dev.wharf.token.infrastructure.SqlTokenStore;
import dev.wharf.api.http.Exchange;
import dev.wharf.config.WharfConfig;
import dev.wharf.crypto.MasterKey;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.StsService;
import dev.wharf.identity.http.IamEndpoints;
import dev.wharf.identity.http.StsEndpoints;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.policy.PermissionService;
import dev.wharf.store.Database;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds storage, services and endpoints with constructors, then serves
 * them on one port. Closing it stops the HTTP server and then the database.
 */
public final class WharfServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WharfServer.class);

  private final WharfConfig config;
  private final Database database;
  private final Server jetty;
  private final Optional<FirstStart> firstStart;
  private final IdentityService identity;

  private final ScheduledExecutorService background;
  private final TokenService tokens;
  private final AuditLog audit;
  private final Routes routes;
  private final BlobStore blobs;
  private final PackageService packages;

  private WharfServer(WharfConfig config, Database database, Server jetty, Optional<FirstStart> firstStart,
      IdentityService identity, ScheduledExecutorService background, TokenService tokens, AuditLog audit, Routes routes,
      BlobStore blobs, PackageService packages) {
    this.blobs = blobs;
    this.packages = packages;
    this.routes = routes;
    this.audit = audit;
    this.config = config;
    this.database = database;
    this.jetty = jetty;
    this.firstStart = firstStart;
    this.identity = identity;
    this.background = background;
    this.tokens = tokens;
  }

  private static void runQuietly(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("background task failed: {}", e.toString());
    }
  }

  /** Every registered query-protocol operation (a test checks each declares its permission). */
  public List<QueryOperation> queryOperations() {
    return List.copyOf(routes.query().operations().values());
  }

  /** Every registered rest-json operation. */
  public List<RestOperation> restOperations() {
    return List.copyOf(routes.restJson().operations().values());
  }

  /** The endpoint families, in the order a request is offered to them. */
  private record Routes(AwsQueryEndpoints query, RestJsonEndpoints restJson, RepositoryEndpoints repositories) {}

  /** Opens storage, bootstraps on first start and starts serving. */
  public static WharfServer start(WharfConfig config, Clock clock) throws Exception {
    Objects.requireNonNull(config, "config");
    Files.createDirectories(config.dataDirectory());
    MasterKey masterKey;
    try {
      masterKey = config.masterKey().isPresent()
          ? MasterKey.fromBase64(config.masterKey().get(), "WHARF_MASTER_KEY")
          : MasterKey.loadOrCreate(config.dataDirectory().resolve(MasterKey.FILE_NAME));
    } catch (IllegalArgumentException badKey) {
      // the message names the setting or file; the CLI prints it rather than a stack trace
      throw new IllegalStateException(badKey.getMessage(), badKey);
    }
    // Building the HTTP server (mostly class loading) overlaps with opening the database.
    CompletableFuture<Server> httpServer = CompletableFuture.supplyAsync(() -> jetty(config));
    Database database;
    try {
      database = Database.open(config.effectiveDatabaseUrl());
    } catch (RuntimeException e) {
      httpServer.join();
      throw e;
    }
    BlobStore blobs = null;
    try {
      SecretCipher cipher = new SecretCipher(masterKey);
      IdentityStore identityStore = new SqlIdentityStore(database);
      Bootstrap.checkMasterKey(identityStore, cipher, masterKey);

      IdentityService identity = new IdentityService(identityStore, cipher, clock);
      CredentialService credentials = new CredentialService(identityStore, cipher, clock);
      PermissionService permissions = new PermissionService(identityStore, clock);
      identity.onChange(credentials::invalidate);
      identity.onChange(permissions::invalidate);
      StsService sts = new StsService(identityStore, credentials, permissions);

      Optional<FirstStart> firstStart = Bootstrap.createManagementAccount(identity, identityStore,
          config.dataDirectory(), config.bootstrapAccountId(), config.region());
      String managementAccount = identityStore.setting(Bootstrap.MANAGEMENT_ACCOUNT).orElseThrow();

      CatalogService catalog = new CatalogService(new SqlCatalogStore(database), config.region(), clock);
      TokenService tokens = new TokenService(new SqlTokenStore(database), identityStore, cipher, clock);
      identity.onChange(tokens::invalidatePrincipals);
      TokenGrantService grants = new TokenGrantService(tokens, catalog, permissions, clock);
      RepositoryAccessService repositoryAccess = new RepositoryAccessService(tokens, catalog, permissions);
      TokenEndpoints tokenEndpoints = new TokenEndpoints(grants, tokens, config.region(), () -> managementAccount);

      AwsAuthenticator authenticator = new AwsAuthenticator(clock, credentials);
      AuditLog audit = new AuditLog(database, clock);
      List<QueryOperation> queryOperations = new ArrayList<>();
      queryOperations.addAll(new IamEndpoints(identity).operations());
      queryOperations.addAll(new StsEndpoints(sts).operations());
      queryOperations.addAll(new AdminEndpoints(identity, () -> managementAccount).operations());
      queryOperations.addAll(tokenEndpoints.queryOperations());
      queryOperations.addAll(new AuditEndpoints(audit, config.region(), clock).operations());
      List<RestOperation> restOperations = new ArrayList<>();
      restOperations.addAll(new CatalogEndpoints(catalog, config.publicUrl()).operations());
      restOperations.addAll(tokenEndpoints.restOperations());
      blobs = new FileBlobStore(config.dataDirectory().resolve("blobs"));
      PackageService packages = new PackageService(new SqlPackageStore(database), blobs, clock);
      catalog.onRepositoryDeleted(packages::deleteRepositoryContents);
      restOperations.addAll(new PackageEndpoints(packages, catalog).operations());
      restOperations.addAll(new PackageAssetEndpoints(packages, catalog, config.maxAssetBytes()).operations());
      restOperations.addAll(new PackageManagementEndpoints(packages, catalog, permissions).operations());
      RepositoryAuthorizer authorizer = new RepositoryAuthorizer(repositoryAccess, audit);
      UpstreamService upstreams = new UpstreamService(packages, catalog::upstreams);
      catalog.configuredExternalConnections(config.externalConnections().keySet());
      upstreams.externalSource(new dev.wharf.packages.external.ExternalConnectionService(packages,
          key -> catalog.externalConnection(key.domainOwner(), key.domainName(), key.repository()),
          CatalogService.EXTERNAL_CONNECTION_FORMATS, config.externalConnections(),
          List.of(new dev.wharf.format.npm.NpmExternalFormat(), new dev.wharf.format.pypi.PypiExternalFormat()),
          new dev.wharf.packages.external.ExternalFetcher(config.externalTimeout()), config.externalMetadataTtl(), clock,
          config.maxAssetBytes(), config.dataDirectory().resolve("tmp")));
      NpmEndpoints npm = new NpmEndpoints(authorizer, new NpmRegistry(packages, upstreams, config.maxAssetBytes()),
          config.publicUrl(), config.dataDirectory().resolve("tmp"));
      Routes routes = new Routes(
          new AwsQueryEndpoints(authenticator, permissions, audit, queryOperations),
          new RestJsonEndpoints("/v1/", "codeartifact", authenticator, permissions, audit, restOperations),
          new RepositoryEndpoints(authorizer, npm, new PypiEndpoints(authorizer,
              new PypiRegistry(packages, upstreams, config.maxAssetBytes()), config.publicUrl(),
              config.dataDirectory().resolve("tmp")),
              new MavenEndpoints(authorizer, new MavenRegistry(packages, upstreams, config.maxAssetBytes()))));

      ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("wharf-background").daemon().factory());
      background.scheduleWithFixedDelay(() -> runQuietly(tokens::flushUses), 5, 5, TimeUnit.SECONDS);

      Server jetty = httpServer.join();
      jetty.setHandler(new RootHandler(routes));
      try {
        jetty.start();
      } catch (IOException e) {
        jetty.stop();
        background.shutdownNow();
        audit.close();
        if (e.getCause() instanceof BindException inUse) {
          throw new IllegalStateException("cannot listen on " + config.bindAddress() + " port " + config.port() + ": "
              + inUse.getMessage() + "; choose another --port (WHARF_PORT)", e);
        }
        throw e;
      }
      return new WharfServer(config, database, jetty, firstStart, identity, background, tokens, audit, routes, blobs,
          packages);
    } catch (Exception | Error e) {
      if (blobs != null) {
        blobs.close();
      }
      database.close();
      throw e;
    }
  }

  private static Server jetty(WharfConfig config) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("wharf-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // npm sends scoped names as @scope%2fname: let encoded separators through; NpmRequestPath decodes
    // the raw path itself and refuses "." and ".." segments, encoded or not.
    http.setUriCompliance(UriCompliance.DEFAULT.with("wharf-npm", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setStopTimeout(5_000);
    return server;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** The base URL clients use: the public URL when set, else http://localhost:PORT. */
  public URI baseUri() {
    return URI.create(config.publicUrl().orElse("http://localhost:" + port()));
  }

  /** Set only on the very first start of a data directory. */
  public Optional<FirstStart> firstStart() {
    return firstStart;
  }

  public IdentityService identity() {
    return identity;
  }

  public void join() throws InterruptedException {
    jetty.join();
  }

  /** The audit trail (tests flush and query it). */
  public AuditLog audit() {
    return audit;
  }

  /** Packages of every format (tests and benchmarks seed many versions through it directly). */
  public PackageService packages() {
    return packages;
  }

  /** Token issuing, verification and revocation (admin commands and tests use it directly). */
  public TokenService tokens() {
    return tokens;
  }

  @Override
  public void close() {
    background.shutdownNow();
    try {
      jetty.stop();
      tokens.close();
      audit.close();
      blobs.close();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    } finally {
      database.close();
    }
  }

  /** Routes a request to the endpoint family that serves its path. */
  private static final class RootHandler extends Handler.Abstract {
    private final Routes routes;

    RootHandler(Routes routes) {
      this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
      Exchange exchange = new Exchange(request, response, callback);
      try {
        String path = exchange.rawPath();
        if ("/health".equals(path)) {
          exchange.send(200, "application/json", "{\"status\":\"ok\"}");
        } else if (AwsQueryEndpoints.accepts(exchange)) {
          routes.query().handle(exchange);
        } else if (routes.restJson().accepts(exchange)) {
          routes.restJson().handle(exchange);
        } else if (routes.repositories().accepts(exchange)) {
          routes.repositories().handle(exchange);
        } else {
          exchange.send(404, "application/json", "{\"message\":\"No such endpoint\"}");
        }
      } catch (RuntimeException e) {
        LOG.error("request {} failed", exchange.requestId(), e);
        exchange.send(500, "application/json", "{\"message\":\"Internal error (request " + exchange.requestId() + ")\"}");
      }
      return true;
    }
  }
}
