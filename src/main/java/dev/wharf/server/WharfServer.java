package dev.wharf.server;

import dev.wharf.admin.AdminEndpoints;
import dev.wharf.api.aws.AwsAuthenticator;
import dev.wharf.api.aws.AwsQueryEndpoints;
import dev.wharf.api.aws.QueryOperation;
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
import java.util.concurrent.Executors;
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

  private WharfServer(WharfConfig config, Database database, Server jetty, Optional<FirstStart> firstStart,
      IdentityService identity) {
    this.config = config;
    this.database = database;
    this.jetty = jetty;
    this.firstStart = firstStart;
    this.identity = identity;
  }

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
    Database database = Database.open(config.effectiveDatabaseUrl());
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

      List<QueryOperation> operations = new ArrayList<>();
      operations.addAll(new IamEndpoints(identity).operations());
      operations.addAll(new StsEndpoints(sts).operations());
      operations.addAll(new AdminEndpoints(identity, () -> managementAccount).operations());
      AwsQueryEndpoints query = new AwsQueryEndpoints(new AwsAuthenticator(clock, credentials), permissions, operations);

      Server jetty = jetty(config, new RootHandler(query));
      try {
        jetty.start();
      } catch (IOException e) {
        jetty.stop();
        if (e.getCause() instanceof BindException inUse) {
          throw new IllegalStateException("cannot listen on " + config.bindAddress() + " port " + config.port() + ": "
              + inUse.getMessage() + "; choose another --port (WHARF_PORT)", e);
        }
        throw e;
      }
      return new WharfServer(config, database, jetty, firstStart, identity);
    } catch (Exception | Error e) {
      database.close();
      throw e;
    }
  }

  private static Server jetty(WharfConfig config, Handler handler) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("wharf-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setHandler(handler);
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

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    } finally {
      database.close();
    }
  }

  /** Routes a request to the endpoint family that serves its path. */
  private static final class RootHandler extends Handler.Abstract {
    private final AwsQueryEndpoints query;

    RootHandler(AwsQueryEndpoints query) {
      this.query = query;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
      Exchange exchange = new Exchange(request, response, callback);
      try {
        String path = exchange.rawPath();
        if ("/health".equals(path)) {
          exchange.send(200, "application/json", "{\"status\":\"ok\"}");
        } else if (AwsQueryEndpoints.accepts(exchange)) {
          query.handle(exchange);
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
