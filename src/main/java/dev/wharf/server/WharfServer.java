package dev.wharf.server;

import dev.wharf.admin.AdminEndpoints;
import dev.wharf.console.ConsoleAssets;
import dev.wharf.console.ConsoleEndpoints;
import dev.wharf.console.ConsolePages;
import dev.wharf.console.ConsoleSessions;
import dev.wharf.console.ConsoleSignIn;
import dev.wharf.api.aws.AwsAuthenticator;
import dev.wharf.api.aws.AwsEndpointContext;
import dev.wharf.api.aws.AwsQueryEndpoints;
import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.RestJsonEndpoints;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.audit.AuditLog;
import dev.wharf.audit.AuditRetention;
import dev.wharf.audit.http.AuditEndpoints;
import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.PackageGroupService;
import dev.wharf.catalog.http.CatalogEndpoints;
import dev.wharf.catalog.http.PackageGroupEndpoints;
import dev.wharf.catalog.infrastructure.SqlCatalogStore;
import dev.wharf.catalog.infrastructure.SqlPackageGroupStore;
import dev.wharf.blob.BlobStore;
import dev.wharf.blob.BlobCollector;
import dev.wharf.blob.BlobStoreUnavailableException;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.cluster.ChangeBus;
import dev.wharf.identity.http.OidcProviderEndpoints;
import dev.wharf.identity.http.PolicySimulationEndpoints;
import dev.wharf.identity.infrastructure.SqlOidcProviderStore;
import dev.wharf.identity.oidc.IssuerKeys;
import dev.wharf.identity.oidc.OidcProviderService;
import dev.wharf.identity.oidc.WebIdentityVerifier;
import dev.wharf.cluster.LocalChangeBus;
import dev.wharf.cluster.PostgresChangeBus;
import dev.wharf.blob.S3BlobStore;
import dev.wharf.packages.infrastructure.SqlBlobReferences;
import dev.wharf.store.ClusterLock;
import dev.wharf.format.RepositoryAuthorizer;
import dev.wharf.limits.RequestLimiter;
import dev.wharf.format.PackageAction;
import dev.wharf.format.RepositoryEndpoints;
import dev.wharf.format.AssetDownloads;
import dev.wharf.format.FormatContext;
import dev.wharf.format.FormatRegistry;
import dev.wharf.packages.OriginControlService;
import dev.wharf.packages.PackageListingService;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.VersionLifecycleService;
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
import dev.wharf.error.RepeatedWarning;
import dev.wharf.error.Unavailable;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.PolicySimulator;
import dev.wharf.identity.StsService;
import dev.wharf.identity.http.IamEndpoints;
import dev.wharf.identity.http.StsEndpoints;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.store.Database;
import dev.wharf.metrics.Metrics;
import dev.wharf.metrics.RequestMeter;
import dev.wharf.metrics.RequestMeters;
import dev.wharf.metrics.RequestProtocol;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.wharf.store.DatabaseUnavailable;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.MDC;
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
  private final CredentialService credentials;
  private final AuditLog audit;
  private final Optional<AuditRetention> auditRetention;
  private final Routes routes;
  private final BlobStore blobs;
  private final PackageService packages;
  private final PublishingService publishing;
  private final VersionLifecycleService lifecycle;
  private final ChangeBus changes;
  private final Health health;
  private final Metrics metrics;
  private final JvmGcMetrics gcMetrics;
  private final RequestLimiter limits;
  /** How often a node compares the change sequence with the notifications it heard (see PostgresChangeBus). */
  static final java.time.Duration CHANGE_CHECK_INTERVAL = java.time.Duration.ofSeconds(2);

  private WharfServer(WharfConfig config, Database database, Server jetty, Optional<FirstStart> firstStart,
      IdentityService identity, ScheduledExecutorService background, TokenService tokens, CredentialService credentials,
      AuditLog audit, Routes routes, BlobStore blobs, PackageService packages, PublishingService publishing, VersionLifecycleService lifecycle,
      ChangeBus changes, Health health, Metrics metrics, JvmGcMetrics gcMetrics,
      Optional<AuditRetention> auditRetention, RequestLimiter limits) {
    this.changes = changes;
    this.health = health;
    this.metrics = metrics;
    this.gcMetrics = gcMetrics;
    this.limits = limits;
    this.credentials = credentials;
    this.blobs = blobs;
    this.packages = packages;
    this.publishing = publishing;
    this.lifecycle = lifecycle;
    this.routes = routes;
    this.audit = audit;
    this.config = config;
    this.database = database;
    this.jetty = jetty;
    this.firstStart = firstStart;
    this.identity = identity;
    this.background = background;
    this.tokens = tokens;
    this.auditRetention = auditRetention;
  }

  /**
   * {@code task}, which logs its failures instead of ending its schedule: one warning line without a stack trace, at
   * most once a minute while it keeps failing (a database that is down or full fails it on every run).
   */
  private static Runnable quietly(String name, Runnable task) {
    RepeatedWarning failures = new RepeatedWarning();
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        java.util.OptionalLong skipped = failures.due();
        if (skipped.isPresent()) {
          LOG.warn("background task {} failed: {}{}", name, RepeatedWarning.describe(e),
              RepeatedWarning.more(skipped.getAsLong()));
        }
      }
    };
  }

  /** Every registered query-protocol operation (a test checks each declares its permission). */
  public List<QueryOperation> queryOperations() {
    return List.copyOf(routes.query().operations().values());
  }

  /** Every package format with every route of its endpoint, the repository endpoint's first (a test walks them). */
  public java.util.Map<dev.wharf.format.PackageFormat, List<dev.wharf.format.PackageRoute<?>>> packageRoutes() {
    java.util.Map<dev.wharf.format.PackageFormat, List<dev.wharf.format.PackageRoute<?>>> all =
        new java.util.LinkedHashMap<>();
    routes.repositories().formats().all().forEach(format -> all.put(format, routes.repositories().routes(format.name())));
    return all;
  }

  /**
   * Whether what a console session signed in with still holds: its access key active and still the
   * principal's, or the principal's console password unchanged since the session began.
   */
  private static boolean consoleCredentialHolds(IdentityService identity, CredentialService credentials,
      dev.wharf.identity.Principal principal, String credential, java.time.Instant since) {
    if (credential.startsWith("key:")) {
      try {
        CredentialService.Resolved resolved = credentials.resolve(credential.substring("key:".length()), null);
        return resolved.active() && resolved.principal().arn().equals(principal.arn());
      } catch (CredentialService.CredentialException gone) {
        return false;
      }
    }
    if (ConsoleSignIn.SignedIn.PASSWORD.equals(credential) && principal instanceof dev.wharf.identity.Principal.User user) {
      try {
        return !identity.getLoginProfile(user.accountId(), user.userName()).passwordChangedAt().isAfter(since);
      } catch (dev.wharf.error.WharfException.NotFound noProfile) {
        return false;
      }
    }
    return false;
  }

  /** Every route of the web console (a test checks that each declares what it needs). */
  public List<ConsoleEndpoints.Route> consoleRoutes() {
    return routes.console().routes();
  }

  /** Every registered rest-json operation. */
  public List<RestOperation> restOperations() {
    return List.copyOf(routes.restJson().operations().values());
  }

  /** The endpoint families, in the order a request is offered to them. */
  private record Routes(AwsQueryEndpoints query, RestJsonEndpoints restJson, RepositoryEndpoints repositories,
      ConsoleEndpoints console) {}

  /** Opens storage, bootstraps on first start and starts serving. */
  public static WharfServer start(WharfConfig config, Clock clock) throws Exception {
    return start(config, clock, DefaultCredentialsProvider.builder().build());
  }

  /** Like {@link #start(WharfConfig, Clock)}, with the credentials for an S3 blob store given (tests). */
  public static WharfServer start(WharfConfig config, Clock clock, AwsCredentialsProvider s3Credentials) throws Exception {
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
    CompletableFuture<HttpServer> httpServer = CompletableFuture.supplyAsync(() -> jetty(config));
    Database database;
    try {
      database = Database.open(config.effectiveDatabaseUrl());
    } catch (RuntimeException e) {
      httpServer.handle((built, failure) -> null).join();
      throw e;
    }
    BlobStore blobs = null;
    ChangeBus changes = null;
    JvmGcMetrics gcMetrics = null;
    try {
      // before anything is bootstrapped: a certificate that cannot be used stops a first start cleanly
      HttpServer http = join(httpServer);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Metrics metrics = new Metrics(registry);
      gcMetrics = bindJvmAndProcess(registry);
      bindDiskSpace(registry, config);
      database.meterPool(registry);
      // before anything is bootstrapped: a bucket that cannot be reached stops a first start cleanly
      blobs = openBlobStore(config, s3Credentials);
      removeLeftoverSpoolFiles(config.dataDirectory().resolve("tmp"), clock);
      SecretCipher cipher = new SecretCipher(masterKey);
      IdentityStore identityStore = new SqlIdentityStore(database);
      Bootstrap.checkMasterKey(identityStore, cipher, masterKey);

      IdentityService identity = new IdentityService(identityStore, cipher, clock);
      identity.installAwsManagedPolicies();
      CredentialService credentials = new CredentialService(identityStore, cipher, clock);
      PermissionService permissions = new PermissionService(identityStore, clock, metrics);
      identity.onChange(credentials::invalidate);
      identity.onChange(permissions::invalidate);
      OidcProviderService oidcProviders = new OidcProviderService(new SqlOidcProviderStore(database), clock);
      StsService sts = new StsService(identityStore, credentials, permissions,
          new WebIdentityVerifier(oidcProviders, IssuerKeys.defaults(clock), clock));

      Optional<FirstStart> firstStart = Bootstrap.createManagementAccount(identity, identityStore,
          config.dataDirectory(), config.bootstrapAccountId(), config.region());
      String managementAccount = identityStore.setting(Bootstrap.MANAGEMENT_ACCOUNT).orElseThrow();

      CatalogService catalog = new CatalogService(new SqlCatalogStore(database), config.region(), clock);
      TokenService tokens = new TokenService(new SqlTokenStore(database), identityStore, cipher, clock, metrics);
      identity.onChange(tokens::invalidatePrincipals);
      TokenGrantService grants = new TokenGrantService(tokens, catalog, permissions, clock);
      RepositoryAccessService repositoryAccess = new RepositoryAccessService(tokens, catalog, permissions);
      TokenEndpoints tokenEndpoints = new TokenEndpoints(grants, tokens, config.region(), () -> managementAccount);

      AwsAuthenticator authenticator = new AwsAuthenticator(clock, credentials, config.region());
      AuditLog audit = new AuditLog(database, clock, config.auditReads() == WharfConfig.AuditReads.PER_MINUTE
          ? java.util.Set.of(PackageAction.READ.iamName()) : java.util.Set.of());
      List<QueryOperation> queryOperations = new ArrayList<>();
      queryOperations.addAll(new IamEndpoints(identity).operations());
      queryOperations.addAll(new OidcProviderEndpoints(oidcProviders, identity).operations());
      queryOperations.addAll(new PolicySimulationEndpoints(new PolicySimulator(identityStore, permissions, clock))
          .operations());
      queryOperations.addAll(new StsEndpoints(sts).operations());
      queryOperations.addAll(new AdminEndpoints(identity, () -> managementAccount).operations());
      queryOperations.addAll(tokenEndpoints.queryOperations());
      queryOperations.addAll(new AuditEndpoints(audit, config.region(), clock).operations());
      PackageService packages = new PackageService(new SqlPackageStore(database), blobs, clock);
      OriginControlService origins = new OriginControlService(packages);
      PublishingService publishing = new PublishingService(packages, origins, metrics);
      VersionLifecycleService lifecycle = new VersionLifecycleService(packages, origins);
      PackageListingService listing = new PackageListingService(packages);
      catalog.onRepositoryDeleted(packages::deleteRepositoryContents);
      changes = database.dialect() == Database.Dialect.POSTGRESQL
          ? new PostgresChangeBus(database.dataSource(), config.effectiveDatabaseUrl(), CHANGE_CHECK_INTERVAL)
          : new LocalChangeBus();
      UpstreamService upstreams = new UpstreamService(packages, origins, publishing, catalog::upstreams, metrics);
      FormatRegistry formats = FormatRegistry.standard(new FormatContext(packages, publishing, lifecycle, listing,
          upstreams, new AssetDownloads(packages), config.maxAssetBytes(), config.dataDirectory().resolve("tmp"), clock,
          new dev.wharf.format.Renderings.Budget(dev.wharf.packages.HeapShare.of(8))));
      PackageGroupService packageGroups = new PackageGroupService(new SqlPackageGroupStore(database), catalog,
          formats.storedNames(), PackageGroupService.MAX_GROUPS_PER_DOMAIN, clock);
      origins.groupRestrictions((key, type) -> packageGroups.refusal(key.domainOwner(), key.domainName(),
          key.repository(), key.format(), key.namespace(), key.name(), type));
      CacheInvalidation.connect(changes, identity, oidcProviders, credentials, permissions, tokens, catalog,
          packages, packageGroups);
      catalog.externalConnections(formats.externalConnectionFormats(), config.externalConnections().keySet());
      upstreams.externalSource(new dev.wharf.packages.external.ExternalConnectionService(publishing,
          key -> catalog.externalConnection(key.domainOwner(), key.domainName(), key.repository()),
          formats.externalConnectionFormats(), config.externalConnections(), formats.externalFormats(),
          new dev.wharf.packages.external.ExternalFetcher(config.externalTimeout()), config.externalMetadataTtl(), clock,
          config.maxAssetBytes(), config.dataDirectory().resolve("tmp"), metrics));
      java.util.stream.Stream.of(credentials.caches(), permissions.caches(), tokens.caches(), catalog.caches(),
          packages.caches(), packageGroups.caches()).forEach(caches -> caches.forEach(metrics::monitor));

      List<RestOperation> restOperations = new ArrayList<>();
      restOperations.addAll(new CatalogEndpoints(catalog, config.publicUrl(), permissions, formats.names()).operations());
      restOperations.addAll(new PackageGroupEndpoints(packageGroups, catalog).operations());
      restOperations.addAll(tokenEndpoints.restOperations());
      restOperations.addAll(new PackageEndpoints(packages, listing, catalog, formats).operations());
      restOperations.addAll(new PackageAssetEndpoints(packages, publishing, catalog, formats, config.maxAssetBytes())
          .operations());
      restOperations.addAll(new PackageManagementEndpoints(packages, origins, lifecycle, upstreams, catalog, permissions,
          formats).operations());
      // one limiter decides for every protocol, where each request's caller becomes known
      RequestLimiter limits = new RequestLimiter(config.limits());
      RepositoryAuthorizer authorizer = new RepositoryAuthorizer(repositoryAccess, audit, limits);
      // every endpoint answers 503 "retry later" when the database or the blob store cannot be reached, and 507
      // when the database's or the local disk is full
      Unavailable unavailable = new Unavailable(List.of(DatabaseUnavailable.CHECK, DatabaseUnavailable.FULL,
          BlobStoreUnavailableException.CHECK, Unavailable.LOCAL_DISK_FULL), clock);
      AwsEndpointContext awsContext = new AwsEndpointContext(authenticator, permissions, audit, unavailable, metrics,
          limits);
      RestJsonEndpoints codeartifactEndpoints = new RestJsonEndpoints("/v1/", "codeartifact", awsContext, restOperations);
      ConsoleSessions consoleSessions = new ConsoleSessions(database, clock, tokens::principalAlive,
          (principal, credential, since) -> consoleCredentialHolds(identity, credentials, principal, credential, since));
      ConsoleAssets consoleAssets = new ConsoleAssets();
      AwsQueryEndpoints queryEndpoints = new AwsQueryEndpoints(awsContext, queryOperations);
      java.util.Set<String> operationNames = new java.util.HashSet<>();
      queryOperations.forEach(operation -> operationNames.add(operation.action()));
      restOperations.forEach(operation -> operationNames.add(operation.name()));
      limits.requireKnownOperations(operationNames); // a misspelt operation:NAME would limit nothing
      ConsolePages consolePages = new ConsolePages(codeartifactEndpoints, queryEndpoints, formats,
          new ConsoleSignIn((account, user, password) -> identity.verifyConsolePassword(account, user, password)
              .map(verified -> new ConsoleSignIn.Verified(verified.principal(), verified.passwordResetRequired())),
              credentials, audit), consoleSessions, consoleAssets,
          config.publicUrl());
      Routes routes = new Routes(
          queryEndpoints,
          codeartifactEndpoints,
          new RepositoryEndpoints(authorizer, formats, unavailable, config.publicUrl(), metrics),
          new ConsoleEndpoints(consolePages.routes(), consoleSessions, codeartifactEndpoints, consoleAssets,
              config.publicUrl()));

      // two threads: a long blob collection must not hold up the token-use flush
      ScheduledExecutorService background = Executors.newScheduledThreadPool(2,
          Thread.ofPlatform().name("wharf-background-", 0).daemon().factory());
      background.scheduleWithFixedDelay(quietly("token uses", tokens::flushUses), 5, 5, TimeUnit.SECONDS);
      background.scheduleWithFixedDelay(quietly("access key uses", credentials::flushKeyUses), 5, 5, TimeUnit.SECONDS);
      background.scheduleWithFixedDelay(quietly("expired console sessions", consoleSessions::removeExpired), 10, 10,
          TimeUnit.MINUTES);
      BlobCollector collector = new BlobCollector(blobs, new SqlBlobReferences(database),
          Duration.ofSeconds(config.blobGcGraceSeconds()), Clock.systemUTC()); // blob times are real times
      long collectEvery = Math.max(60, Math.min(config.blobGcGraceSeconds() / 4, BLOB_GC_MAX_INTERVAL_SECONDS));
      ClusterLock collectorLock = new ClusterLock(database, BLOB_GC_LOCK);
      background.scheduleWithFixedDelay(quietly("blob collection", () -> collectBlobs(collectorLock, collector, metrics)),
          60, collectEvery, TimeUnit.SECONDS);
      Optional<AuditRetention> auditRetention = config.auditRetentionDays() == 0 ? Optional.empty()
          : Optional.of(new AuditRetention(audit, new ClusterLock(database, AUDIT_RETENTION_LOCK), clock,
              Duration.ofDays(config.auditRetentionDays())));
      auditRetention.ifPresent(retention -> background.scheduleWithFixedDelay(
          quietly("audit retention", () -> removeExpiredAudit(retention)), 120, AuditRetention.INTERVAL.toSeconds(),
          TimeUnit.SECONDS));

      Server jetty = http.server();
      Health health = new Health(database, blobs, unavailable);
      Handler root = new RootHandler(routes, serverRoutes(config, health, registry, metrics), metricsConnector(jetty),
          unavailable, metrics);
      if (http.connectors().redirect().isPresent()) {
        root = new dev.wharf.server.transport.HttpsRedirect(root, config.publicUrl().map(URI::create),
            () -> http.connectors().main().getLocalPort());
      }
      // GracefulHandler counts requests in flight: a stopping server lets them finish (up to the stop timeout,
      // --shutdown-grace) and answers 503 to any that arrive on a connection still open
      GracefulHandler graceful = new GracefulHandler();
      graceful.setHandler(root);
      jetty.setHandler(graceful);
      http.connectors().reloader().ifPresent(reloader -> background.scheduleWithFixedDelay(
          quietly("certificate reload", reloader::check), TLS_CHECK_SECONDS, TLS_CHECK_SECONDS, TimeUnit.SECONDS));
      try {
        jetty.start();
      } catch (IOException e) {
        jetty.stop();
        background.shutdownNow();
        audit.close();
        if (e.getCause() instanceof BindException inUse) {
          throw new IllegalStateException("cannot listen on " + config.bindAddress() + " port " + config.port()
              + config.transport().httpRedirectPort().map(redirect -> " or redirect port " + redirect).orElse("") + ": "
              + inUse.getMessage() + "; choose another --port (WHARF_PORT)"
              + (config.transport().httpRedirectPort().isPresent() ? " or --http-redirect-port" : ""), e);
        }
        throw e;
      }
      return new WharfServer(config, database, jetty, firstStart, identity, background, tokens, credentials, audit,
          routes, blobs, packages, publishing, lifecycle, changes, health, metrics, gcMetrics, auditRetention, limits);
    } catch (Exception | Error e) {
      if (gcMetrics != null) {
        gcMetrics.close();
      }
      if (changes != null) {
        changes.close();
      }
      if (blobs != null) {
        blobs.close();
      }
      database.close();
      throw e;
    }
  }

  /** The blob collector runs at least this often (more often with a short grace period). */
  private static final long BLOB_GC_MAX_INTERVAL_SECONDS = 15 * 60;

  /**
   * Opens the blob store a configuration names (files under data/blobs, or the S3 bucket) as the
   * server would, with S3 credentials from the default chain; for the storage admin commands.
   */
  public static BlobStore openBlobStore(WharfConfig config) throws IOException {
    return openBlobStore(config, DefaultCredentialsProvider.builder().build());
  }

  /**
   * Uploads spooled to data/tmp while they are checked (npm tarballs, PyPI forms, files from external
   * connections) are deleted when their request ends; a killed server leaves them, and nothing else would
   * remove them. Those older than a blob store's temporary files may go (data/ may be shared by nodes).
   */
  private static void removeLeftoverSpoolFiles(Path spool, Clock clock) throws IOException {
    int removed = dev.wharf.blob.LeftoverFiles.remove(spool, "*", clock.instant().minus(FileBlobStore.TEMPORARY_FILE_MAX_AGE));
    if (removed > 0) {
      LOG.info("Removed {} leftover upload file(s) older than {} from {}", removed, FileBlobStore.TEMPORARY_FILE_MAX_AGE,
          spool);
    }
  }

  /** Files under data/blobs, or the S3 bucket named by --blob-store s3://bucket/prefix. */
  private static BlobStore openBlobStore(WharfConfig config, AwsCredentialsProvider s3Credentials) throws IOException {
    if (config.blobStore().isEmpty()) {
      return new FileBlobStore(config.dataDirectory().resolve("blobs"));
    }
    S3BlobStore.Location location = S3BlobStore.Location.parse(config.blobStore().get(),
        config.s3Endpoint().map(URI::create), config.s3PathStyle(), config.effectiveS3Region());
    S3BlobStore store = null;
    try {
      store = S3BlobStore.open(location, config.dataDirectory().resolve("tmp").resolve("s3-spool"), s3Credentials);
      store.checkReachable();
    } catch (IOException | software.amazon.awssdk.core.exception.SdkException e) {
      if (store != null) {
        store.close();
      }
      // the CLI prints this message, not a stack trace
      throw new IllegalStateException("blob store " + config.blobStore().get() + ": " + e.getMessage(), e);
    }
    LOG.info("Blobs in {}", store);
    return store;
  }

  /** PostgreSQL advisory lock key of the blob collector ("wharf-gc" in ASCII). */
  static final long BLOB_GC_LOCK = 0x7768617266_2d6763L;

  /** PostgreSQL advisory lock key of the audit retention ("wharf-ar" in ASCII). */
  static final long AUDIT_RETENTION_LOCK = 0x7768617266_2d6172L;

  private static void removeExpiredAudit(AuditRetention retention) {
    try {
      retention.removeExpired();
    } catch (java.sql.SQLException e) {
      LOG.warn("audit retention failed: {}", e.toString());
    }
  }

  /** One node of a cluster collects at a time (concurrent runs would be safe, only wasteful). */
  private static void collectBlobs(ClusterLock lock, BlobCollector collector, Metrics metrics) {
    long started = System.nanoTime();
    try {
      boolean ran = lock.runIfFree(() -> {
        BlobCollector.Result result = collector.collect();
        metrics.collectorRun(System.nanoTime() - started, result.deleted(), result.bytesDeleted());
      });
      if (!ran) {
        LOG.debug("blob collection skipped: another node is running it");
      }
    } catch (IOException | java.sql.SQLException | RuntimeException e) {
      metrics.collectorFailed(System.nanoTime() - started);
      LOG.warn("blob collection failed: {}", e.toString());
    }
  }

  /** How often the certificate files are compared with what is served (a renewal is live within this). */
  static final long TLS_CHECK_SECONDS = 2;

  /** The HTTP server and its listening sockets. */
  private record HttpServer(Server server, dev.wharf.server.transport.ServerConnectors connectors) {}

  /** The HTTP server built in the background; a certificate that cannot be used fails here with its message. */
  private static HttpServer join(CompletableFuture<HttpServer> httpServer) {
    try {
      return httpServer.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Free and total space of the file systems Wharf writes to ({@code disk_free_bytes}, {@code disk_total_bytes}, by
   * {@code store}: {@code data} for the data directory (file blobs, spooled uploads, SQLite by default), {@code database}
   * for a SQLite file's folder elsewhere). A full one makes writes answer 507; the gauge warns before. Labelled by
   * role rather than by path, as Micrometer's own binder does, so that the scrape names no folder of the host.
   */
  private static void bindDiskSpace(io.micrometer.core.instrument.MeterRegistry registry, WharfConfig config) {
    java.util.Map<String, Path> folders = new java.util.LinkedHashMap<>();
    Path data = config.dataDirectory().toAbsolutePath().normalize();
    folders.put("data", data);
    String url = config.effectiveDatabaseUrl();
    if (url.startsWith("jdbc:sqlite:")) {
      String file = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
      if (!file.isEmpty() && !file.startsWith(":") && !file.startsWith("file:")) {
        Path folder = Path.of(file).toAbsolutePath().normalize().getParent();
        if (folder != null && !folder.startsWith(data)) {
          folders.put("database", folder);
        }
      }
    }
    folders.forEach((store, folder) -> {
      java.io.File file = folder.toFile();
      io.micrometer.core.instrument.Gauge.builder("disk.free", file, java.io.File::getUsableSpace).tag("store", store)
          .baseUnit("bytes").description("Usable space on the file system Wharf writes to").strongReference(true)
          .register(registry);
      io.micrometer.core.instrument.Gauge.builder("disk.total", file, java.io.File::getTotalSpace).tag("store", store)
          .baseUnit("bytes").description("Total space of the file system Wharf writes to").strongReference(true)
          .register(registry);
    });
  }

  /**
   * The JVM's and the process's meters: memory pools, GC pauses, threads, class loading, CPU, open files and
   * uptime. The GC meters listen to the JVM until closed.
   */
  private static JvmGcMetrics bindJvmAndProcess(io.micrometer.core.instrument.MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc;
  }

  /**
   * The routes the server answers itself, each with its declared access: the health probes (public), and
   * {@code /metrics}, behind the bearer token when --metrics-token is set.
   */
  private static List<ServerRoute> serverRoutes(WharfConfig config, Health health, PrometheusMeterRegistry registry,
      Metrics metrics) {
    ServerRoute.Access probe = new ServerRoute.Access.Public("load balancers and orchestrators probe it without"
        + " credentials; it says only whether the process, the database and the blob store answer, and whether they"
        + " recently refused a write for lack of space");
    RequestMeter healthMeter = metrics.request(RequestProtocol.HEALTH, "none", "health");
    MetricsEndpoint endpoint = new MetricsEndpoint(registry);
    ServerRoute.Access metricsAccess = config.metricsToken()
        .<ServerRoute.Access>map(ServerRoute.Access.BearerToken::new)
        .orElseGet(() -> new ServerRoute.Access.Public("no --metrics-token is set: the operator chose to leave it"
            + " open (counts and timings only: no package name, path, principal or token is a label)"));
    return List.of(
        // kept as it always was (the process answers) for existing probes; see /health/live and /health/ready
        new ServerRoute("/health", probe, healthMeter,
            exchange -> exchange.send(200, "application/json", "{\"status\":\"ok\"}")),
        new ServerRoute("/health/live", probe, healthMeter,
            exchange -> exchange.send(200, "application/json", "{\"status\":\"live\"}")),
        new ServerRoute("/health/ready", probe, healthMeter, exchange -> {
          Health.Readiness readiness = health.check();
          exchange.send(readiness.ready() ? 200 : 503, "application/json", readiness.json());
        }),
        new ServerRoute(MetricsEndpoint.PATH, metricsAccess,
            metrics.request(RequestProtocol.METRICS, "none", "scrape"), endpoint::handle));
  }

  /** The connector of --metrics-port, or null when /metrics is on the main port. */
  private static Connector metricsConnector(Server jetty) {
    for (Connector connector : jetty.getConnectors()) {
      if (METRICS_CONNECTOR.equals(connector.getName())) {
        return connector;
      }
    }
    return null;
  }

  private static final String METRICS_CONNECTOR = "metrics";

  private static HttpServer jetty(WharfConfig config) {
    // Platform threads, not a virtual thread per request: Jetty then runs a request on the thread that saw it
    // readable and hands the selector on, where a virtual thread costs a hand-off to the carrier pool and a
    // selector wake-up per request (about 15 % of the package-file rate, docs/benchmarks.md). Responses are
    // written asynchronously, so a slow download holds no thread; 200 covers blocking uploads and upstream fetches.
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("wharf-http");
    // after a burst (10,000 idle connections timing out at once fill the pool), threads idle for the pool's
    // idle timeout (60 s) all leave; Jetty's default lets one leave per timeout, over three hours for 200
    threads.setMaxEvictCount(200);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // npm sends scoped names as @scope%2fname: let encoded separators through; NpmRequestPath decodes
    // the raw path itself and refuses "." and ".." segments, encoded or not. gem push joins its --host
    // (the endpoint, ending in '/') and "/api/v1/gems": let the empty segment through, which only
    // RubyRequestPath reads (every other format's parser takes no path with one).
    http.setUriCompliance(UriCompliance.DEFAULT.with("wharf", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    http.setSendServerVersion(false);
    // Jetty's header cache looks every header line up in a trie of lines seen before; package requests
    // carry a long Authorization value that is never in it, and the lookups cost more than they save
    // (about a fifth of the tarball rate in bench/files/file-bench.sh, docs/benchmarks.md).
    http.setHeaderCacheSize(0);
    // and its built-in cache of common values matched without case, handing "text/plain; charset=UTF-8" over as
    // "...utf-8": a SigV4 signature covers the value as sent (the AWS SDK's RequestBody.fromString got 403)
    http.setHeaderCacheCaseSensitive(true);
    http.setSendDateHeader(true);
    dev.wharf.server.transport.ServerConnectors connectors;
    try {
      // the main port, TLS, the redirect port, trusted proxies and the connection limits
      connectors = dev.wharf.server.transport.ServerConnectors.add(server, http, config.transport(),
          config.bindAddress(), config.port());
    } catch (dev.wharf.server.transport.TlsMaterial.TlsException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    config.metricsPort().ifPresent(metricsPort -> {
      // its own connection factory: nothing of the main port's request handling settings is needed for a scrape
      ServerConnector metrics = new ServerConnector(server, 1, 1, new org.eclipse.jetty.server.HttpConnectionFactory(new HttpConfiguration()));
      metrics.setName(METRICS_CONNECTOR);
      metrics.setHost(config.bindAddress());
      metrics.setPort(metricsPort);
      server.addConnector(metrics);
    });
    // on stop, requests in flight get this long to finish (GracefulHandler); then their connections are closed
    server.setStopTimeout(config.shutdownGrace().toMillis());
    if (config.accessLog()) {
      server.setRequestLog(new AccessLog());
    }
    return new HttpServer(server, connectors);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** Whether the main port speaks HTTPS. */
  public boolean secure() {
    return config.transport().secure();
  }

  /** The plain-HTTP port that only redirects to HTTPS, when configured (the one bound, with port 0). */
  public Optional<Integer> redirectPort() {
    for (var connector : jetty.getConnectors()) {
      if (dev.wharf.server.transport.HttpsRedirect.CONNECTOR_NAME.equals(connector.getName())) {
        return Optional.of(((ServerConnector) connector).getLocalPort());
      }
    }
    return Optional.empty();
  }

  /** The port /metrics is served on: --metrics-port's (the one bound, with 0), else the main port. */
  public int metricsPort() {
    Connector metrics = metricsConnector(jetty);
    return metrics == null ? port() : ((ServerConnector) metrics).getLocalPort();
  }

  /** Wharf's meters (tests read them directly). */
  public Metrics metrics() {
    return metrics;
  }

  /** The base URL clients use: the public URL when set, else http(s)://localhost:PORT. */
  public URI baseUri() {
    return URI.create(config.publicUrl().orElse((config.transport().secure() ? "https" : "http") + "://localhost:"
        + port()));
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

  /** The audit retention the background runs, unless events are kept forever (tests run it at once). */
  public Optional<AuditRetention> auditRetention() {
    return auditRetention;
  }

  /** The audit trail (tests flush and query it). */
  public AuditLog audit() {
    return audit;
  }

  /** Packages of every format (tests and benchmarks read them through it directly). */
  public PackageService packages() {
    return packages;
  }

  /** Publishing of every format (tests and benchmarks seed many versions through it directly). */
  public PublishingService publishing() {
    return publishing;
  }

  /** Status changes, deletion and copies of versions (tests and benchmarks change many through it directly). */
  public VersionLifecycleService versionLifecycle() {
    return lifecycle;
  }

  /** The database (benchmarks count the statements a request costs through it). */
  public Database database() {
    return database;
  }

  /** The request limits this node enforces (tests read what a preset applied). */
  public RequestLimiter limits() {
    return limits;
  }

  /** Token issuing, verification and revocation (admin commands and tests use it directly). */
  public TokenService tokens() {
    return tokens;
  }

  /**
   * Stops gracefully: readiness answers 503 at once; after {@code --shutdown-delay} (time for a load
   * balancer to see that and send no more) the port stops accepting connections, requests in flight get
   * up to {@code --shutdown-grace} to finish (an upload either completes and is committed, or its
   * connection is closed and nothing of it becomes visible), then storage closes.
   */
  @Override
  public void close() {
    health.stopping();
    if (!config.shutdownDelay().isZero()) {
      LOG.info("Stopping: not ready; serving {} s more before closing the port", config.shutdownDelay().toSeconds());
      try {
        Thread.sleep(config.shutdownDelay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("Stopping: requests in flight get up to {} s to finish", config.shutdownGrace().toSeconds());
    background.shutdownNow();
    gcMetrics.close();
    try {
      jetty.stop();
    } catch (java.util.concurrent.TimeoutException cutOff) {
      LOG.warn("Requests still in flight after {} s were cut off; nothing of an unfinished upload is kept",
          config.shutdownGrace().toSeconds());
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    try {
      tokens.close();
      credentials.flushKeyUses();
      audit.close();
      blobs.close();
    } catch (Exception e) {
      LOG.warn("Storage did not close cleanly: {}", e.toString());
    } finally {
      changes.close();
      database.close();
    }
  }

  /** Every answer names its request: the id the audit trail and the logs record for it. */
  static final String REQUEST_ID_HEADER = "x-request-id";

  /** Routes a request to the endpoint family that serves its path. */
  /**
   * Routes a request to the endpoint family that serves its path, after the server's own routes (whose declared
   * access it checks), and records every answer in the request metrics when it is complete. On --metrics-port,
   * only /metrics is served; /metrics is then not served on the main port.
   */
  private static final class RootHandler extends Handler.Abstract {
    private final Routes routes;
    private final java.util.Map<String, ServerRoute> mainRoutes;
    private final java.util.Map<String, ServerRoute> metricsPortRoutes;
    private final Connector metricsConnector;
    private final Unavailable unavailable;
    private final RequestMeter notFound;
    private final RequestMeters console;

    RootHandler(Routes routes, List<ServerRoute> serverRoutes, Connector metricsConnector, Unavailable unavailable,
        Metrics metrics) {
      this.routes = routes;
      this.metricsConnector = metricsConnector;
      this.unavailable = unavailable;
      java.util.Map<String, ServerRoute> main = new java.util.HashMap<>();
      java.util.Map<String, ServerRoute> metricsPort = new java.util.HashMap<>();
      for (ServerRoute route : serverRoutes) {
        boolean scrape = MetricsEndpoint.PATH.equals(route.path());
        java.util.Map<String, ServerRoute> served = scrape && metricsConnector != null ? metricsPort : main;
        if (served.put(route.path(), route) != null) {
          throw new IllegalStateException("server route " + route.path() + " declared twice");
        }
      }
      this.mainRoutes = java.util.Map.copyOf(main);
      this.metricsPortRoutes = java.util.Map.copyOf(metricsPort);
      this.notFound = metrics.request(RequestProtocol.NONE, "none", "none");
      this.console = metrics.requests(RequestProtocol.CONSOLE, "none", List.of("GET", "POST"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
      MeteredCallback metered = new MeteredCallback(callback, request, response);
      Exchange exchange = new Exchange(request, response, metered);
      metered.exchange = exchange;
      exchange.meter(notFound);
      String requestId = exchange.requestId();
      request.setAttribute(AccessLog.REQUEST_ID, requestId);
      response.getHeaders().put(REQUEST_ID_HEADER, requestId);
      MDC.put("requestId", requestId);
      try {
        String path = exchange.rawPath();
        boolean onMetricsPort = metricsConnector != null
            && request.getConnectionMetaData().getConnector() == metricsConnector;
        ServerRoute own = (onMetricsPort ? metricsPortRoutes : mainRoutes).get(path);
        if (own != null) {
          exchange.meter(own.meter());
          if (own.allows(exchange)) {
            own.handler().handle(exchange);
          } else {
            exchange.setHeader("WWW-Authenticate", "Bearer realm=\"wharf\"");
            exchange.send(401, "text/plain; charset=utf-8", "A bearer token is required\n");
          }
        } else if (onMetricsPort) {
          exchange.send(404, "text/plain; charset=utf-8", "Only " + MetricsEndpoint.PATH + " is served on this port\n");
        } else if (routes.console().accepts(exchange)) {
          exchange.meter(console.operation(exchange.method()));
          routes.console().handle(exchange);
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
        java.util.Optional<Unavailable.Reason> reason = unavailable.report(exchange.requestId(), e);
        if (reason.isPresent()) {
          exchange.send(reason.get().status(), "application/json",
              "{\"message\":\"" + reason.get().message() + "\"}");
          return true;
        }
        LOG.error("request {} failed", exchange.requestId(), e);
        exchange.send(500, "application/json", "{\"message\":\"Internal error (request " + exchange.requestId() + ")\"}");
      } finally {
        MDC.remove("requestId");
      }
      return true;
    }
  }

  /**
   * Records the answer in the meter the endpoints named on the exchange once the response is complete (a
   * download is written asynchronously, after the handler returned): its status, the time since the request's
   * first byte, and the body bytes written. It keeps the wrapped callback's invocation type.
   */
  private static final class MeteredCallback extends Callback.Nested {
    private final Request request;
    private final Response response;
    private Exchange exchange;

    MeteredCallback(Callback callback, Request request, Response response) {
      super(callback);
      this.request = request;
      this.response = response;
    }

    private void record() {
      RequestMeter meter = exchange == null ? null : exchange.meter();
      if (meter != null) {
        meter.record(response.getStatus(), System.nanoTime() - request.getBeginNanoTime(),
            Response.getContentBytesWritten(response));
      }
    }

    @Override
    public void succeeded() {
      record();
      super.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
      record();
      super.failed(failure);
    }
  }
}
