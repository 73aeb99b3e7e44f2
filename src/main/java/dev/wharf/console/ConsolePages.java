package dev.wharf.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.RestJsonEndpoints;
import dev.wharf.api.aws.StreamedResponse;
import dev.wharf.audit.AuditText;
import dev.wharf.console.ConsoleEndpoints.Access;
import dev.wharf.console.ConsoleEndpoints.Reply;
import dev.wharf.console.ConsoleEndpoints.Route;
import dev.wharf.console.ConsoleViews.AssetRow;
import dev.wharf.console.ConsoleViews.DependencyRow;
import dev.wharf.console.ConsoleViews.DomainRow;
import dev.wharf.console.ConsoleViews.PackageRef;
import dev.wharf.console.ConsoleViews.Paths;
import dev.wharf.console.ConsoleViews.RepositoryRow;
import dev.wharf.console.ConsoleViews.VersionRow;
import dev.wharf.error.WharfException;
import dev.wharf.identity.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The console's pages: each reads what it shows by calling CodeArtifact operations as the signed-in
 * principal ({@link RestJsonEndpoints#call}), so the API's policy checks decide what a page may show or
 * change and its errors are the API's messages.
 */
public final class ConsolePages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE_SIZE = 50;
  /** A domain-wide search asks at most this many repositories (each one ListPackages call). */
  static final int MAX_SEARCHED_REPOSITORIES = 100;
  private static final String SEGMENT = "([^/]+)";

  private final RestJsonEndpoints codeartifact;
  private final dev.wharf.api.aws.AwsQueryEndpoints query;
  private final dev.wharf.format.FormatRegistry formats;
  /** The formats whose clients have connection instructions, in the registry's order. */
  private final List<String> withClients;
  private final ConsoleSignIn signIn;
  private final ConsoleSessions sessions;
  private final ConsoleAssets assets;
  private final Optional<String> publicUrl;

  public ConsolePages(RestJsonEndpoints codeartifact, dev.wharf.api.aws.AwsQueryEndpoints query,
      dev.wharf.format.FormatRegistry formats, ConsoleSignIn signIn, ConsoleSessions sessions, ConsoleAssets assets,
      Optional<String> publicUrl) {
    this.codeartifact = Objects.requireNonNull(codeartifact, "codeartifact");
    this.query = Objects.requireNonNull(query, "query");
    this.formats = Objects.requireNonNull(formats, "formats");
    this.withClients = formats.all().stream()
        .filter(f -> !f.toolSetups(dev.wharf.format.ToolSetup.Target.EXAMPLE).isEmpty())
        .map(dev.wharf.format.PackageFormat::name).toList();
    this.signIn = Objects.requireNonNull(signIn, "signIn");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.assets = Objects.requireNonNull(assets, "assets");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
  }

  public List<Route> routes() {
    String domain = "/domains/" + SEGMENT + "/" + SEGMENT;
    String repository = domain + "/repositories/" + SEGMENT;
    String pkg = repository + "/packages/" + SEGMENT + "/" + SEGMENT + "/" + SEGMENT;
    String version = pkg + "/versions/" + SEGMENT;
    Access signedIn = new Access.SignedIn();
    return List.of(
        new Route("GET", "/", new Access.Public("sends a visitor to the sign-in form or, signed in, to the domains"),
            r -> new Reply.Redirect(r.session().isPresent() ? Paths.domains() : ConsoleEndpoints.PREFIX + "/sign-in")),
        new Route("GET", "/sign-in", new Access.Public("the sign-in form"), this::signInForm),
        new Route("POST", "/sign-in", new Access.Public("checks the credentials it is given (ConsoleSignIn)"),
            this::signIn),
        new Route("POST", "/change-password", new Access.Public("checks the current password it is given, as the"
            + " sign-in does, then calls iam:ChangePassword as that user"), this::changePassword),
        new Route("POST", "/sign-out", signedIn, this::signOut),
        new Route("GET", "/static/" + SEGMENT + "/" + SEGMENT, new Access.Public("the style sheet and the script"),
            this::asset),
        new Route("GET", "/domains", signedIn, this::domains),
        new Route("GET", "/tokens", signedIn, this::tokens),
        new Route("POST", "/tokens/" + SEGMENT + "/revoke", signedIn, this::revokeToken),
        new Route("GET", "/audit", signedIn, this::audit),
        new Route("POST", "/domains", signedIn, this::createDomain),
        new Route("GET", domain, signedIn, this::domain),
        new Route("POST", domain + "/repositories", signedIn, this::createRepository),
        new Route("POST", domain + "/delete", signedIn, this::deleteDomain),
        new Route("GET", domain + "/policy", signedIn, r -> policyPage(r, false, null, null, 200)),
        new Route("POST", domain + "/policy", signedIn, r -> changePolicy(r, false)),
        new Route("GET", repository, signedIn, this::repository),
        new Route("POST", repository + "/delete", signedIn, this::deleteRepository),
        new Route("POST", repository + "/settings", signedIn, this::updateRepository),
        new Route("POST", repository + "/external-connection", signedIn, this::externalConnection),
        new Route("GET", repository + "/policy", signedIn, r -> policyPage(r, true, null, null, 200)),
        new Route("POST", repository + "/policy", signedIn, r -> changePolicy(r, true)),
        new Route("GET", repository + "/connect", signedIn, this::connect),
        new Route("GET", pkg, signedIn, this::pkg),
        new Route("POST", pkg + "/origin", signedIn, this::changeOrigin),
        new Route("GET", version, signedIn, this::version),
        new Route("POST", version + "/status", signedIn, this::changeStatus),
        new Route("GET", version + "/assets/" + SEGMENT, signedIn, this::download));
  }

  // ---------------------------------------------------------------- signing in and out

  private Reply signInForm(ConsoleRequest request) {
    return signInPage(request, 200, null, "password");
  }

  private Reply signInPage(ConsoleRequest request, int status, String error, String method) {
    String token = java.util.UUID.randomUUID().toString();
    request.exchange().addHeader("Set-Cookie", ConsoleEndpoints.setCookie(request.origin(),
        ConsoleEndpoints.SIGN_IN_COOKIE, token, 3600));
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("signInToken", token);
    parameters.put("error", error);
    parameters.put("method", method);
    parameters.put("accountId", Objects.requireNonNullElse(request.form().get("account"), ""));
    parameters.put("userName", Objects.requireNonNullElse(request.form().get("user"), ""));
    return new Reply.Page(status, "console/sign-in.jte", parameters);
  }

  private Reply signIn(ConsoleRequest request) {
    String address = request.exchange().remoteAddress();
    String requestId = request.exchange().requestId();
    String method = "key".equals(request.form().get("method")) ? "key" : "password";
    ConsoleSignIn.SignedIn principal;
    try {
      principal = method.equals("key")
          ? signIn.withAccessKey(request.form().get("accessKeyId"), request.form().get("secretAccessKey"), address,
              requestId)
          : signIn.withPassword(request.form().get("account"), request.form().get("user"),
              request.form().get("password"), address, requestId, false);
    } catch (ConsoleSignIn.Refused refused) {
      if (refused.mustChangePassword()) {
        return changePasswordPage(request, 200, refused.getMessage());
      }
      return signInPage(request, refused.throttled() ? 429 : 401, refused.getMessage(), method);
    }
    return startSession(request, principal);
  }

  /** The form that sets a new password: the user proves the current one again (no session exists yet). */
  private Reply changePasswordPage(ConsoleRequest request, int status, String message) {
    String token = java.util.UUID.randomUUID().toString();
    request.exchange().addHeader("Set-Cookie", ConsoleEndpoints.setCookie(request.origin(),
        ConsoleEndpoints.SIGN_IN_COOKIE, token, 3600));
    return Reply.Page.of(status, "console/change-password.jte", "signInToken", token, "message", message,
        "accountId", Objects.requireNonNullElse(request.form().get("account"), ""),
        "userName", Objects.requireNonNullElse(request.form().get("user"), ""));
  }

  /**
   * Sets a new console password for a user whose password must be changed, then signs it in: the current
   * password is checked as a sign-in is (limited and audited), and the change is iam:ChangePassword called
   * as that user, with its policy check and the password policy.
   */
  private Reply changePassword(ConsoleRequest request) {
    String account = request.form().get("account");
    String user = request.form().get("user");
    String current = request.form().get("password");
    String changed = request.form().get("newPassword");
    if (changed == null || !changed.equals(request.form().get("confirmPassword"))) {
      return changePasswordPage(request, 400, "The new passwords do not match.");
    }
    ConsoleSignIn.SignedIn principal;
    try {
      principal = signIn.withPassword(account, user, current, request.exchange().remoteAddress(),
          request.exchange().requestId(), true);
    } catch (ConsoleSignIn.Refused refused) {
      return changePasswordPage(request, refused.throttled() ? 429 : 401, refused.getMessage());
    }
    try {
      query.call("iam", "ChangePassword", Map.of("OldPassword", current, "NewPassword", changed),
          new dev.wharf.api.aws.Caller(principal.principal(), new dev.wharf.identity.PermissionService.RequestOrigin(
              request.exchange().remoteAddress(), request.exchange().isSecure()), request.exchange().requestId(),
              request.origin().value()));
    } catch (WharfException refused) {
      return changePasswordPage(request, 400, refused.getMessage());
    }
    return startSession(request, principal);
  }

  private Reply startSession(ConsoleRequest request, ConsoleSignIn.SignedIn signedIn) {
    // a new session id, whatever cookie the browser came with: no session fixation
    request.session().ifPresent(sessions::end);
    ConsoleSessions.Session session = sessions.start(signedIn.principal(), signedIn.credential());
    return new Reply.Redirect(Paths.domains(), List.of(
        ConsoleEndpoints.setCookie(request.origin(), ConsoleEndpoints.SESSION_COOKIE, session.id(),
            ConsoleSessions.ABSOLUTE.toSeconds()),
        ConsoleEndpoints.setCookie(request.origin(), ConsoleEndpoints.SIGN_IN_COOKIE, "", 0)));
  }

  private Reply signOut(ConsoleRequest request) {
    request.session().ifPresent(sessions::end);
    return new Reply.Redirect(ConsoleEndpoints.PREFIX + "/sign-in", List.of(
        ConsoleEndpoints.setCookie(request.origin(), ConsoleEndpoints.SESSION_COOKIE, "", 0)));
  }

  private Reply asset(ConsoleRequest request) {
    if (!assets.send(request.exchange(), request.group(0), request.group(1))) {
      throw new WharfException.NotFound(null, "There is no such file.");
    }
    return new Reply.Written();
  }

  // ---------------------------------------------------------------- tokens and the audit trail

  /** The account's live authorization tokens (wharf:ListAuthorizationTokens), with a revoke button each. */
  private Reply tokens(ConsoleRequest request) {
    List<Map<String, String>> tokens = QueryResults.members(query.call("wharf", "ListAuthorizationTokens", Map.of(),
        request.signedIn()), "Tokens");
    return Reply.Page.of(200, "console/tokens.jte", "tokens", tokens.stream().map(t -> new ConsoleViews.TokenRow(
        t.get("TokenId"), t.get("Principal"), t.get("DomainOwner"), t.get("Domain"), t.get("IssuedAt"),
        t.get("ExpiresAt"), t.get("LastUsedAt"))).toList());
  }

  private Reply revokeToken(ConsoleRequest request) {
    query.call("wharf", "RevokeAuthorizationToken", Map.of("TokenId", request.group(0)), request.signedIn());
    return new Reply.Redirect(ConsoleEndpoints.PREFIX + "/tokens");
  }

  /**
   * The audit trail (wharf:LookupAuditEvents), filtered by principal, action, outcome and time, newest first,
   * {@link #PAGE_SIZE} at a time, paged by the operation's NextToken.
   */
  private Reply audit(ConsoleRequest request) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("MaxResults", String.valueOf(PAGE_SIZE));
    parameters.put("Since", Objects.requireNonNullElse(request.queryParameter("since"), "P7D"));
    Map<String, String> filters = new LinkedHashMap<>();
    for (String[] filter : new String[][] {{"principal", "PrincipalArn"}, {"action", "EventAction"},
        {"outcome", "Outcome"}, {"next", "NextToken"}}) {
      String value = request.queryParameter(filter[0]);
      if (value != null) {
        parameters.put(filter[1], value.strip());
        filters.put(filter[0], value.strip());
      }
    }
    String result = query.call("wharf", "LookupAuditEvents", parameters, request.signedIn());
    // Fields are caller input: shown escaped (AuditText), so no bidi override or separator changes what a reader sees.
    List<ConsoleViews.AuditRow> events = QueryResults.members(result, "Events").stream().map(e -> new ConsoleViews.AuditRow(
        AuditText.escape(e.get("Time")), AuditText.escape(e.get("Principal")), AuditText.escape(e.get("Action")),
        AuditText.escape(e.get("Resource")), AuditText.escape(e.get("Outcome")), AuditText.escape(e.get("ErrorCode")),
        AuditText.escape(e.get("SourceIp")), AuditText.escape(e.get("DecidedBy")), e.getOrDefault("Count", "1"))).toList();
    String nextToken = QueryResults.text(result, "NextToken");
    String next = null;
    if (nextToken != null) {
      Map<String, String> nextQuery = new LinkedHashMap<>(filters);
      nextQuery.put("since", parameters.get("Since"));
      nextQuery.put("next", nextToken);
      next = ConsoleEndpoints.PREFIX + "/audit?" + nextQuery.entrySet().stream()
          .map(e -> e.getKey() + "=" + Paths.segment(e.getValue())).collect(java.util.stream.Collectors.joining("&"));
    }
    return Reply.Page.of(200, "console/audit.jte", "events", events, "next", next,
        "principal", filters.getOrDefault("principal", ""), "action", filters.getOrDefault("action", ""),
        "outcome", filters.getOrDefault("outcome", ""), "since", parameters.get("Since"));
  }

  // ---------------------------------------------------------------- domains and repositories

  private Reply domains(ConsoleRequest request) {
    ObjectNode body = JSON.createObjectNode().put("maxResults", 100);
    Optional.ofNullable(request.queryParameter("next")).ifPresent(next -> body.put("nextToken", next));
    JsonNode listed = call(request, "ListDomains", Map.of(), body);
    List<DomainRow> rows = new ArrayList<>();
    for (JsonNode d : listed.path("domains")) {
      rows.add(new DomainRow(d.path("name").asText(), d.path("owner").asText(), d.path("status").asText(),
          time(d.path("createdTime"))));
    }
    return Reply.Page.of(200, "console/domains.jte", "domains", rows, "next",
        text(listed.path("nextToken")), "account", request.signedIn().principal().accountId());
  }

  private Reply createDomain(ConsoleRequest request) {
    String name = required(request, "name", "domain name");
    call(request, "CreateDomain", Map.of("domain", name), null);
    return new Reply.Redirect(Paths.domain(request.signedIn().principal().accountId(), name));
  }

  private Reply domain(ConsoleRequest request) {
    String owner = request.group(0);
    String name = request.group(1);
    JsonNode described = call(request, "DescribeDomain", Map.of("domain", name, "domain-owner", owner), null)
        .path("domain");
    Map<String, String> query = new LinkedHashMap<>(Map.of("domain", name, "domain-owner", owner, "max-results",
        String.valueOf(PAGE_SIZE)));
    Optional.ofNullable(request.queryParameter("next")).ifPresent(next -> query.put("next-token", next));
    JsonNode listed = call(request, "ListRepositoriesInDomain", query, null);
    List<RepositoryRow> rows = new ArrayList<>();
    for (JsonNode r : listed.path("repositories")) {
      rows.add(new RepositoryRow(r.path("name").asText(), owner, name, text(r.path("description"))));
    }
    ConsoleViews.Domain domain = new ConsoleViews.Domain(name, owner, described.path("status").asText(),
        described.path("arn").asText(), described.path("repositoryCount").asLong(),
        described.path("assetSizeBytes").asLong(), time(described.path("createdTime")));
    String prefix = request.queryParameter("prefix");
    return Reply.Page.of(200, "console/domain.jte", "domain", domain, "repositories", rows, "next",
        text(listed.path("nextToken")), "prefix", Objects.requireNonNullElse(prefix, ""), "found",
        prefix == null ? null : searchDomain(request, owner, name, prefix.strip()));
  }

  /**
   * Packages whose names start with {@code prefix} in every repository of the domain the principal may list
   * ({@link #PAGE_SIZE} at most per repository; a repository it may not list is left out).
   */
  private List<PackageRef> searchDomain(ConsoleRequest request, String owner, String domain, String prefix) {
    List<PackageRef> found = new ArrayList<>();
    String next = null;
    int searched = 0;
    do {
      Map<String, String> query = new LinkedHashMap<>(Map.of("domain", domain, "domain-owner", owner));
      if (next != null) {
        query.put("next-token", next);
      }
      JsonNode listed = call(request, "ListRepositoriesInDomain", query, null);
      for (JsonNode r : listed.path("repositories")) {
        if (searched++ == MAX_SEARCHED_REPOSITORIES) {
          return found;
        }
        String repository = r.path("name").asText();
        try {
          JsonNode packages = call(request, "ListPackages", Map.of("domain", domain, "domain-owner", owner,
              "repository", repository, "package-prefix", prefix, "max-results", String.valueOf(PAGE_SIZE)), null);
          for (JsonNode p : packages.path("packages")) {
            found.add(ref(owner, domain, repository, p.path("format").asText(), text(p.path("namespace")),
                p.path("package").asText()));
          }
        } catch (WharfException.AccessDenied | WharfException.NotFound notThisOne) {
          // a repository the principal may not list, or one deleted meanwhile
        }
      }
      next = text(listed.path("nextToken"));
    } while (next != null);
    return found;
  }

  private Reply createRepository(ConsoleRequest request) {
    String owner = request.group(0);
    String domain = request.group(1);
    String name = required(request, "name", "repository name");
    ObjectNode body = JSON.createObjectNode();
    Optional.ofNullable(request.field("description")).ifPresent(d -> body.put("description", d));
    String upstreams = request.field("upstreams");
    if (upstreams != null) {
      var list = body.putArray("upstreams");
      for (String upstream : upstreams.split("[,\\s]+")) {
        if (!upstream.isBlank()) {
          list.addObject().put("repositoryName", upstream.strip());
        }
      }
    }
    call(request, "CreateRepository", Map.of("domain", domain, "domain-owner", owner, "repository", name), body);
    return new Reply.Redirect(Paths.repository(owner, domain, name));
  }

  private Reply repository(ConsoleRequest request) {
    ConsoleViews.Repository repository = describeRepository(request);
    Map<String, String> query = new LinkedHashMap<>(repositoryQuery(request));
    query.put("max-results", String.valueOf(PAGE_SIZE));
    String format = request.queryParameter("format");
    String prefix = request.queryParameter("prefix");
    Optional.ofNullable(format).ifPresent(f -> query.put("format", f));
    Optional.ofNullable(prefix).ifPresent(p -> query.put("package-prefix", p));
    Optional.ofNullable(request.queryParameter("next")).ifPresent(next -> query.put("next-token", next));
    JsonNode listed = call(request, "ListPackages", query, null);
    List<PackageRef> packages = new ArrayList<>();
    for (JsonNode p : listed.path("packages")) {
      packages.add(ref(repository.owner(), repository.domain(), repository.name(),
          p.path("format").asText(), text(p.path("namespace")), p.path("package").asText()));
    }
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("repository", repository);
    parameters.put("graph", upstreamGraph(request, repository));
    parameters.put("packages", packages);
    parameters.put("next", text(listed.path("nextToken")));
    parameters.put("format", Objects.requireNonNullElse(format, ""));
    parameters.put("prefix", Objects.requireNonNullElse(prefix, ""));
    parameters.put("formats", formats.all().stream().map(dev.wharf.format.PackageFormat::name).toList());
    return new Reply.Page(200, "console/repository.jte", parameters);
  }

  private Reply connect(ConsoleRequest request) {
    ConsoleViews.Repository repository = describeRepository(request);
    String format = Objects.requireNonNullElse(request.queryParameter("format"), withClients.getFirst());
    if (!withClients.contains(format)) {
      throw new WharfException.Invalid(null, "No instructions for the format " + format);
    }
    Map<String, String> query = new LinkedHashMap<>(repositoryQuery(request));
    query.put("format", format);
    String endpoint = call(request, "GetRepositoryEndpoint", query, null).path("repositoryEndpoint").asText();
    String server = publicUrl.orElse(request.origin().value());
    return Reply.Page.of(200, "console/connect.jte", "repository", repository, "format", format,
        "formats", withClients, "endpoint", endpoint, "setups", formats.require(format).toolSetups(
            new dev.wharf.format.ToolSetup.Target(server, endpoint, repository.domain(), repository.owner(),
                repository.name())));
  }

  /** Deletes a domain once its name is typed again (DeleteDomain: refused while it has repositories). */
  private Reply deleteDomain(ConsoleRequest request) {
    String owner = request.group(0);
    String domain = request.group(1);
    confirmed(request, domain);
    call(request, "DeleteDomain", Map.of("domain", domain, "domain-owner", owner), null);
    return new Reply.Redirect(Paths.domains());
  }

  private Reply deleteRepository(ConsoleRequest request) {
    confirmed(request, request.group(2));
    call(request, "DeleteRepository", repositoryQuery(request), null);
    return new Reply.Redirect(Paths.domain(request.group(0), request.group(1)));
  }

  /** The description and the upstreams, in order (UpdateRepository replaces both). */
  private Reply updateRepository(ConsoleRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("description", Objects.requireNonNullElse(request.form().get("description"), "").strip());
    var list = body.putArray("upstreams");
    for (String upstream : Objects.requireNonNullElse(request.form().get("upstreams"), "").split("[,\\s]+")) {
      if (!upstream.isBlank()) {
        list.addObject().put("repositoryName", upstream.strip());
      }
    }
    call(request, "UpdateRepository", repositoryQuery(request), body);
    return new Reply.Redirect(Paths.repository(request.group(0), request.group(1), request.group(2)));
  }

  /** Associates the external connection named in the form, or removes the one named with {@code remove}. */
  private Reply externalConnection(ConsoleRequest request) {
    Map<String, String> query = new LinkedHashMap<>(repositoryQuery(request));
    String removed = request.field("remove");
    query.put("external-connection", removed != null ? removed : required(request, "name", "external connection"));
    call(request, removed != null ? "DisassociateExternalConnection" : "AssociateExternalConnection", query, null);
    return new Reply.Redirect(Paths.repository(request.group(0), request.group(1), request.group(2)));
  }

  private static void confirmed(ConsoleRequest request, String name) {
    if (!name.equals(request.form().get("confirm"))) {
      throw new WharfException.Invalid(null, "Type the name " + name + " to confirm the deletion.");
    }
  }

  /**
   * A domain's or repository's resource policy in an editor; with {@code document} (what was posted) and
   * {@code error} (why the server refused it) after a failed save.
   */
  private Reply policyPage(ConsoleRequest request, boolean repository, String document, String error, int status) {
    String owner = request.group(0);
    String domain = request.group(1);
    String revision = null;
    if (document == null) {
      try {
        JsonNode policy = call(request, repository ? "GetRepositoryPermissionsPolicy" : "GetDomainPermissionsPolicy",
            repository ? repositoryQuery(request) : Map.of("domain", domain, "domain-owner", owner), null)
            .path("policy");
        document = prettyJson(policy.path("document").asText(""));
        revision = text(policy.path("revision"));
      } catch (WharfException.NotFound none) {
        document = "";
      }
    } else {
      revision = request.field("revision");
    }
    String back = repository ? Paths.repository(owner, domain, request.group(2)) : Paths.domain(owner, domain);
    return Reply.Page.of(status, "console/policy.jte", "subject", repository ? "Repository " + request.group(2)
        : "Domain " + domain, "back", back, "action", back + "/policy", "document", document, "revision", revision,
        "error", error);
  }

  private Reply changePolicy(ConsoleRequest request, boolean repository) {
    String owner = request.group(0);
    String domain = request.group(1);
    Map<String, String> query = repository ? repositoryQuery(request) : Map.of("domain", domain, "domain-owner", owner);
    String revision = request.field("revision");
    String back = repository ? Paths.repository(owner, domain, request.group(2)) : Paths.domain(owner, domain);
    if ("delete".equals(request.form().get("action"))) {
      Map<String, String> deleteQuery = new LinkedHashMap<>(query);
      if (revision != null) {
        deleteQuery.put("policy-revision", revision);
      }
      call(request, repository ? "DeleteRepositoryPermissionsPolicy" : "DeleteDomainPermissionsPolicy", deleteQuery,
          null);
      return new Reply.Redirect(back + "/policy");
    }
    String document = Objects.requireNonNullElse(request.form().get("document"), "");
    ObjectNode body = JSON.createObjectNode().put("policyDocument", document);
    if (revision != null) {
      body.put("policyRevision", revision);
    }
    if (!repository) {
      body.put("domain", domain).put("domainOwner", owner);
    }
    try {
      call(request, repository ? "PutRepositoryPermissionsPolicy" : "PutDomainPermissionsPolicy",
          repository ? query : Map.of(), body);
    } catch (WharfException.Invalid | WharfException.Conflict refused) {
      return policyPage(request, repository, document, refused.getMessage(), refused instanceof WharfException.Invalid
          ? 400 : 409);
    }
    return new Reply.Redirect(back + "/policy");
  }

  private static String prettyJson(String document) {
    if (document.isEmpty()) {
      return document;
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(document));
    } catch (IOException e) {
      return document;
    }
  }

  /** A repository's upstream graph, depth first as reads go through it, each repository once; at most this many. */
  static final int MAX_GRAPH_REPOSITORIES = 50;

  /**
   * The repositories a read of {@code repository} goes through, in order (DescribeRepository of each, as the
   * principal): each with its depth and external connection; one the principal may not describe is shown as such.
   */
  private List<ConsoleViews.GraphNode> upstreamGraph(ConsoleRequest request, ConsoleViews.Repository repository) {
    List<ConsoleViews.GraphNode> graph = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>(List.of(repository.name()));
    walk(request, repository.owner(), repository.domain(), repository.upstreams(), 1, seen, graph);
    return graph;
  }

  private void walk(ConsoleRequest request, String owner, String domain, List<String> upstreams, int depth,
      java.util.Set<String> seen, List<ConsoleViews.GraphNode> graph) {
    for (String upstream : upstreams) {
      if (graph.size() >= MAX_GRAPH_REPOSITORIES || !seen.add(upstream)) {
        continue;
      }
      try {
        JsonNode r = call(request, "DescribeRepository", Map.of("domain-owner", owner, "domain", domain, "repository",
            upstream), null).path("repository");
        List<String> next = new ArrayList<>();
        r.path("upstreams").forEach(u -> next.add(u.path("repositoryName").asText()));
        List<String> external = new ArrayList<>();
        r.path("externalConnections").forEach(c -> external.add(c.path("externalConnectionName").asText()));
        graph.add(new ConsoleViews.GraphNode(upstream, depth, String.join(", ", external),
            Paths.repository(owner, domain, upstream), true));
        walk(request, owner, domain, next, depth + 1, seen, graph);
      } catch (WharfException.AccessDenied | WharfException.NotFound hidden) {
        graph.add(new ConsoleViews.GraphNode(upstream, depth, "", Paths.repository(owner, domain, upstream), false));
      }
    }
  }

  private ConsoleViews.Repository describeRepository(ConsoleRequest request) {
    JsonNode r = call(request, "DescribeRepository", repositoryQuery(request), null).path("repository");
    List<String> upstreams = new ArrayList<>();
    r.path("upstreams").forEach(u -> upstreams.add(u.path("repositoryName").asText()));
    List<String> external = new ArrayList<>();
    r.path("externalConnections").forEach(c -> external.add(c.path("externalConnectionName").asText()));
    return new ConsoleViews.Repository(r.path("name").asText(), request.group(0), request.group(1),
        text(r.path("description")), r.path("arn").asText(), upstreams, external);
  }

  private static Map<String, String> repositoryQuery(ConsoleRequest request) {
    return Map.of("domain-owner", request.group(0), "domain", request.group(1), "repository", request.group(2));
  }

  // ---------------------------------------------------------------- packages and versions

  private PackageRef packageRef(ConsoleRequest request) {
    String namespace = request.group(4);
    return ref(request.group(0), request.group(1), request.group(2), request.group(3),
        ConsoleViews.NO_NAMESPACE.equals(namespace) ? null : namespace, request.group(5));
  }

  /** A package, named as its format's clients name it. */
  private PackageRef ref(String owner, String domain, String repository, String format, String namespace,
      String name) {
    String displayName = formats.find(format).map(f -> f.displayName(namespace, name))
        .orElse(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    return new PackageRef(owner, domain, repository, format, namespace, name, displayName);
  }

  private static Map<String, String> packageQuery(PackageRef ref) {
    Map<String, String> query = new LinkedHashMap<>(Map.of("domain-owner", ref.owner(), "domain", ref.domain(),
        "repository", ref.repository(), "format", ref.format(), "package", ref.name()));
    if (ref.namespace() != null) {
      query.put("namespace", ref.namespace());
    }
    return query;
  }

  private Reply pkg(ConsoleRequest request) {
    PackageRef ref = packageRef(request);
    JsonNode described = call(request, "DescribePackage", packageQuery(ref), null).path("package");
    Map<String, String> query = new LinkedHashMap<>(packageQuery(ref));
    query.put("max-results", "100");
    Optional.ofNullable(request.queryParameter("next")).ifPresent(next -> query.put("next-token", next));
    JsonNode listed = call(request, "ListPackageVersions", query, null);
    List<VersionRow> versions = new ArrayList<>();
    for (JsonNode v : listed.path("versions")) {
      String version = v.path("version").asText();
      versions.add(new VersionRow(version, v.path("status").asText(), v.path("origin").path("originType").asText(""),
          Paths.version(ref, version)));
    }
    JsonNode restrictions = described.path("originConfiguration").path("restrictions");
    Map<String, String> distTags = new java.util.TreeMap<>();
    described.path("distTags").properties().forEach(tag -> distTags.put(tag.getKey(), tag.getValue().asText()));
    return Reply.Page.of(200, "console/package.jte", "ref", ref, "versions", versions, "distTags", distTags, "next",
        text(listed.path("nextToken")), "defaultVersion", text(listed.path("defaultDisplayVersion")),
        "publish", restrictions.path("publish").asText(""), "upstream", restrictions.path("upstream").asText(""));
  }

  private Reply version(ConsoleRequest request) {
    PackageRef ref = packageRef(request);
    String version = request.group(6);
    Map<String, String> query = new LinkedHashMap<>(packageQuery(ref));
    query.put("version", version);
    JsonNode described = call(request, "DescribePackageVersion", query, null).path("packageVersion");
    String readme = text(call(request, "GetPackageVersionReadme", query, null).path("readme"));
    List<AssetRow> assets = new ArrayList<>();
    for (JsonNode a : call(request, "ListPackageVersionAssets", query, null).path("assets")) {
      String name = a.path("name").asText();
      assets.add(new AssetRow(name, a.path("size").asLong(), a.path("hashes").path("SHA-256").asText(""),
          Paths.asset(ref, version, name)));
    }
    List<DependencyRow> dependencies = new ArrayList<>();
    for (JsonNode d : call(request, "ListPackageVersionDependencies", query, null).path("dependencies")) {
      String namespace = text(d.path("namespace"));
      PackageRef dependency = ref(ref.owner(), ref.domain(), ref.repository(), ref.format(), namespace,
          d.path("package").asText());
      dependencies.add(new DependencyRow(dependency.displayName(), text(d.path("versionRequirement")),
          text(d.path("dependencyType"))));
    }
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("ref", ref);
    parameters.put("version", version);
    parameters.put("status", described.path("status").asText(""));
    parameters.put("summary", text(described.path("summary")));
    parameters.put("published", time(described.path("publishedTime")));
    String readmeHtml = readme == null ? null : Markdown.toHtml(readme);
    parameters.put("readme", readmeHtml == null ? null : (gg.jte.Content) output -> output.writeContent(readmeHtml));
    parameters.put("assets", assets);
    parameters.put("dependencies", dependencies);
    parameters.put("install", InstallLines.of(formats.find(ref.format()), ref, version));
    return new Reply.Page(200, "console/version.jte", parameters);
  }

  /** The package's origin controls (PutPackageOriginConfiguration): publish and upstream, ALLOW or BLOCK. */
  private Reply changeOrigin(ConsoleRequest request) {
    PackageRef ref = packageRef(request);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode restrictions = body.putObject("restrictions");
    for (String control : List.of("publish", "upstream")) {
      String value = request.field(control);
      if (!"ALLOW".equals(value) && !"BLOCK".equals(value)) {
        throw new WharfException.Invalid(null, "Choose ALLOW or BLOCK for " + control + ".");
      }
      restrictions.put(control, value);
    }
    call(request, "PutPackageOriginConfiguration", packageQuery(ref), body);
    return new Reply.Redirect(ref.path());
  }

  /**
   * Publishes, unlists or archives a version (UpdatePackageVersionsStatus), disposes of it
   * (DisposePackageVersions) or deletes it (DeletePackageVersions); a version the operation could not
   * change shows the operation's reason.
   */
  private Reply changeStatus(ConsoleRequest request) {
    PackageRef ref = packageRef(request);
    String version = request.group(6);
    String change = Objects.requireNonNullElse(request.field("change"), "");
    ObjectNode body = JSON.createObjectNode();
    body.putArray("versions").add(version);
    String operation = switch (change) {
      case "Published", "Unlisted", "Archived" -> {
        body.put("targetStatus", change);
        yield "UpdatePackageVersionsStatus";
      }
      case "dispose" -> "DisposePackageVersions";
      case "delete" -> {
        confirmed(request, version);
        yield "DeletePackageVersions";
      }
      default -> throw new WharfException.Invalid(null, "No such change: " + change);
    };
    JsonNode failed = call(request, operation, packageQuery(ref), body).path("failedVersions").path(version);
    if (!failed.isMissingNode()) {
      throw new WharfException.Invalid(null, failed.path("errorCode").asText() + ": "
          + failed.path("errorMessage").asText());
    }
    return new Reply.Redirect("delete".equals(change) ? ref.path() : Paths.version(ref, version));
  }

  /** An asset, downloaded in the browser with the session (GetPackageVersionAsset as the principal). */
  private Reply download(ConsoleRequest request) throws IOException {
    PackageRef ref = packageRef(request);
    Map<String, String> query = new LinkedHashMap<>(packageQuery(ref));
    query.put("version", request.group(6));
    query.put("asset", request.group(7));
    Object result = codeartifact.call("GetPackageVersionAsset", query, null, request.signedIn());
    if (!(result instanceof StreamedResponse streamed)) {
      throw new IllegalStateException("GetPackageVersionAsset answered no content");
    }
    String fileName = request.group(7).replaceAll("[^A-Za-z0-9._+-]", "_");
    request.exchange().setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    request.exchange().setHeader("Cache-Control", "no-store");
    try (InputStream content = streamed.content()) {
      request.exchange().stream(200, "application/octet-stream", streamed.length(), content);
    }
    return new Reply.Written();
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode call(ConsoleRequest request, String operation, Map<String, String> query, JsonNode body) {
    Object result = codeartifact.call(operation, query, body, request.signedIn());
    return result == null ? JSON.createObjectNode() : result instanceof JsonNode node ? node : JSON.valueToTree(result);
  }

  private static String required(ConsoleRequest request, String field, String what) {
    String value = request.field(field);
    if (value == null) {
      throw new WharfException.Invalid(null, "Enter a " + what + ".");
    }
    return value.strip();
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  /** A time as the API answers it (epoch seconds, possibly fractional), written in ISO-8601. */
  private static String time(JsonNode node) {
    if (node.isNumber()) {
      return Instant.ofEpochMilli(Math.round(node.asDouble() * 1000)).toString();
    }
    return text(node);
  }
}
