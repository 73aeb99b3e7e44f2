package dev.wharf.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.http.DownloadHeaders;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.metrics.Metrics;
import dev.wharf.metrics.RequestMeter;
import dev.wharf.metrics.RequestMeters;
import dev.wharf.metrics.RequestProtocol;
import dev.wharf.token.AuthorizationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request under {@code /{domain}-{owner}/{format}/{repo}/}, of every format, goes through
 * here, and only here are they authorized: this reads the credential (Bearer, Basic with user
 * {@code aws}, or the token alone for a format whose clients send it so), finds the format's route, checks what the route declares it needs (audited,
 * refusals too), runs it, and answers any failure in the format's own shape. Nothing about a
 * repository's content is said before the caller is authenticated: a malformed path, a path no
 * route takes and a method a path does not allow are answered only after a read is authorized.
 */
public final class RepositoryEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryEndpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RepositoryAuthorizer authorizer;
  private final FormatRegistry formats;
  private final Unavailable unavailable;
  private final Optional<String> publicUrl;
  private final Map<String, List<PackageRoute<?>>> routes;
  /** Each format's request meters: one per route, in the order of its route table, then one for no route. */
  private final Map<String, RequestMeter[]> meters;

  /**
   * @param publicUrl the base URL clients reach the server at when a proxy fronts it; else each
   *     request's own origin is used in the URLs answers carry
   */
  public RepositoryEndpoints(RepositoryAuthorizer authorizer, FormatRegistry formats, Unavailable unavailable,
      Optional<String> publicUrl, Metrics metrics) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.formats = Objects.requireNonNull(formats, "formats");
    this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.routes = formats.all().stream().collect(Collectors.toUnmodifiableMap(PackageFormat::name, format -> {
      List<PackageRoute<?>> table = new ArrayList<>();
      table.add(ROOT);
      table.addAll(format.routes());
      return List.copyOf(table);
    }));
    this.meters = routes.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> {
      List<PackageRoute<?>> table = entry.getValue();
      RequestMeter[] byRoute = new RequestMeter[table.size() + 1];
      for (int i = 0; i < table.size(); i++) {
        byRoute[i] = metrics.request(RequestProtocol.PACKAGE, entry.getKey(), table.get(i).metricName());
      }
      byRoute[table.size()] = metrics.request(RequestProtocol.PACKAGE, entry.getKey(), RequestMeters.UNKNOWN);
      return byRoute;
    }));
  }

  /** The repository endpoint itself: who the token acts as, and that it may read the repository. */
  static final PackageRoute<String> ROOT = PackageRoute.get("repository endpoint", "", PackageRoute::root, Need.read(),
      (call, rest) -> {
        AuthorizationToken token = call.token();
        RepositoryPath path = call.repository();
        call.exchange().send(200, "application/json", JSON.createObjectNode()
            .put("principal", token.principal().arn()).put("tokenId", token.tokenId())
            .put("domain", path.domainName()).put("domainOwner", path.domainOwner())
            .put("repository", path.repository()).put("format", path.format())
            .put("read", "allowed").put("expiresAt", token.expiresAt().toString()).toString());
      });

  /** The formats served. */
  public FormatRegistry formats() {
    return formats;
  }

  /** Every route of a format, the repository endpoint's first (tests walk them). */
  public List<PackageRoute<?>> routes(String format) {
    return routes.getOrDefault(format, List.of());
  }

  public boolean accepts(Exchange exchange) {
    return RepositoryPath.parse(exchange.rawPath()).filter(path -> routes.containsKey(path.format())).isPresent();
  }

  public void handle(Exchange exchange) {
    RepositoryPath path = RepositoryPath.parse(exchange.rawPath()).orElseThrow();
    PackageFormat format = formats.find(path.format()).orElseThrow();
    RequestMeter[] formatMeters = meters.get(format.name());
    exchange.meter(formatMeters[formatMeters.length - 1]); // until a route takes the path
    // every answer (files, metadata, errors) is taken as the type it says: a package file that says XML is not run as HTML
    exchange.setHeader("X-Content-Type-Options", DownloadHeaders.NOSNIFF);
    try {
      Optional<String> credential = PackageCredentials.token(exchange.header("Authorization"), format.acceptsBareToken(),
          format.basicUsers())
          .or(() -> format.apiKeyHeader().flatMap(header -> PackageCredentials.token(exchange.header(header), true)));
      if (credential.isEmpty()) {
        authorizer.admitWithoutCredential(exchange); // over the address's limit, the answer is 429 instead
        throw new WharfException.NotAuthenticated(null, format.spec().credentialHint());
      }
      PackageCall call = new PackageCall(exchange, path, credential.get(), publicUrl, authorizer);
      dispatch(call, routes.get(format.name()), formatMeters);
    } catch (RuntimeException e) {
      FormatErrors.answer(format, LOG, exchange, e, unavailable);
    }
  }

  private void dispatch(PackageCall call, List<PackageRoute<?>> table, RequestMeter[] meters) {
    String rest = call.repository().rest();
    String method = call.exchange().method();
    TreeSet<String> allowed = new TreeSet<>();
    for (int index = 0; index < table.size(); index++) {
      PackageRoute<?> route = table.get(index);
      Optional<?> request;
      try {
        request = route.path().apply(rest);
      } catch (WharfException malformed) {
        call.authorize(PackageAction.READ, null); // say nothing before the caller is authenticated
        throw malformed;
      }
      if (request.isEmpty()) {
        continue;
      }
      if (route.methods().contains(method)) {
        call.exchange().meter(meters[index]);
        run(call, route, request.get());
        return;
      }
      allowed.addAll(route.methods());
    }
    call.authorize(PackageAction.READ, null);
    if (allowed.isEmpty()) {
      throw new WharfException.NotFound(null, "Not found");
    }
    call.exchange().setHeader("Allow", String.join(", ", allowed));
    throw FormatErrors.methodNotAllowed(method);
  }

  private <T> void run(PackageCall call, PackageRoute<T> route, Object parsed) {
    @SuppressWarnings("unchecked") // the route's own path parser made it
    T request = (T) parsed;
    boolean upload = switch (route.need()) {
      case Need.Read<T> read -> {
        call.authorize(PackageAction.READ, null);
        yield false;
      }
      case Need.OnPackage<T> onPackage -> {
        call.authorize(onPackage.action(), onPackage.subject().apply(request));
        yield onPackage.action() == PackageAction.PUBLISH;
      }
      case Need.DecidedByBody<T> decided -> {
        call.precheck(decided, decided.subject().apply(request).orElse(null));
        // fail closed: a handler that forgets to authorize what the body asks for cannot answer a success
        call.exchange().requireForSuccess(call::authorized, "route " + route.name() + " answered without authorizing");
        yield decided.actions().contains(PackageAction.PUBLISH);
      }
    };
    if (!upload) {
      route.handler().handle(call, request);
      return;
    }
    // a publish holds a place among the uploads allowed at once while it reads and stores its body
    try (var place = authorizer.upload()) {
      route.handler().handle(call, request);
    }
  }
}
