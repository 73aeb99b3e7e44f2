package dev.wharf.console;

import dev.wharf.api.aws.RestJsonEndpoints;
import dev.wharf.api.http.Exchange;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatErrors;
import dev.wharf.identity.PermissionService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateException;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console/}: pages rendered on the server from precompiled jte templates,
 * forms without script, one small script file for copy buttons.
 *
 * <p>Fail closed: every route declares its {@link Access} when it is registered (a route without one
 * stops the server from starting), and this class alone checks it: a page that needs a session gets
 * none without one, and every POST must carry its session's CSRF token (or, for the sign-in form, the
 * token of its pre-session cookie). What a signed-in principal may do or see is not decided here at
 * all: pages call the CodeArtifact operations through {@link RestJsonEndpoints#call}, the same policy
 * checks and audit as the API.
 */
public final class ConsoleEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleEndpoints.class);
  public static final String PREFIX = "/console";
  static final String SESSION_COOKIE = "wharf_console";
  static final String SIGN_IN_COOKIE = "wharf_console_signin";
  static final String CSRF_FIELD = "csrf";
  private static final int MAX_FORM_BYTES = 64 * 1024;
  /** Every page: no inline script or style, nothing from elsewhere, never in a frame. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** What a route needs before its handler runs. */
  public sealed interface Access {
    /** Anyone, and why (the sign-in form, static files). */
    record Public(String reason) implements Access {
      public Public {
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** A live session; what the session's principal may do is then up to the operations the page calls. */
    record SignedIn() implements Access {}
  }

  /** One console route: a method, a path pattern under {@link #PREFIX} with groups, what it needs, and its handler. */
  public record Route(String method, Pattern path, Access access, Handler handler) {
    public Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(access, "access of " + method + " " + path);
      Objects.requireNonNull(handler, "handler");
    }

    public Route(String method, String path, Access access, Handler handler) {
      this(method, Pattern.compile(path), access, handler);
    }
  }

  @FunctionalInterface
  public interface Handler {
    Reply handle(ConsoleRequest request) throws IOException;
  }

  /** What a handler answers. */
  public sealed interface Reply {
    /** A page: a template and its parameters (the layout's are added). */
    record Page(int status, String template, Map<String, Object> parameters) implements Reply {
      public Page {
        parameters = java.util.Collections.unmodifiableMap(new HashMap<>(parameters)); // values may be null
      }

      /** A page from alternating names and values (a value may be null: a template's optional parameter). */
      public static Page of(int status, String template, Object... namesAndValues) {
        Map<String, Object> parameters = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
          parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Page(status, template, parameters);
      }
    }

    /** 303 to a path under the console (never elsewhere: no open redirect). */
    record Redirect(String path, List<String> cookies) implements Reply {
      public Redirect {
        if (!path.startsWith(PREFIX + "/") || path.startsWith("//") || path.contains("\\")) {
          throw new IllegalArgumentException("not a console path: " + path);
        }
        cookies = List.copyOf(cookies);
      }

      public Redirect(String path) {
        this(path, List.of());
      }
    }

    /** The handler wrote the answer itself (a static file, a download). */
    record Written() implements Reply {}
  }

  /**
   * Where browsers reach the console: the scheme and authority of {@code --public-url} when one is set (behind a
   * TLS proxy the request itself arrives over plain HTTP, with the proxy's Host), else the request's own.
   */
  public record Origin(String value, boolean secure) {}

  private final List<Route> routes;
  private final Optional<Origin> publicOrigin;
  private final ConsoleSessions sessions;
  private final RestJsonEndpoints codeartifact;
  private final ConsoleAssets assets;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  public ConsoleEndpoints(List<Route> routes, ConsoleSessions sessions, RestJsonEndpoints codeartifact,
      ConsoleAssets assets, Optional<String> publicUrl) {
    this.routes = List.copyOf(routes); // a null Access has already failed in Route's constructor
    this.publicOrigin = publicUrl.map(java.net.URI::create).map(uri -> new Origin(uri.getScheme() + "://"
        + uri.getRawAuthority(), "https".equalsIgnoreCase(uri.getScheme())));
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.codeartifact = Objects.requireNonNull(codeartifact, "codeartifact");
    this.assets = Objects.requireNonNull(assets, "assets");
  }

  /** Every route (a test checks that each declares its access). */
  public List<Route> routes() {
    return routes;
  }

  public boolean accepts(Exchange exchange) {
    String path = exchange.rawPath();
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  public void handle(Exchange exchange) {
    setSecurityHeaders(exchange);
    String path = exchange.rawPath();
    if (path.equals(PREFIX)) {
      redirect(exchange, new Reply.Redirect(PREFIX + "/"));
      return;
    }
    Optional<ConsoleSessions.Session> session = Optional.empty();
    try {
      session = sessions.find(cookie(exchange, SESSION_COOKIE));
      Route route = null;
      Matcher matched = null;
      boolean pathKnown = false;
      for (Route candidate : routes) {
        Matcher matcher = candidate.path().matcher(path.substring(PREFIX.length()));
        if (matcher.matches()) {
          pathKnown = true;
          if (candidate.method().equals(exchange.method())) {
            route = candidate;
            matched = matcher;
            break;
          }
        }
      }
      if (route == null) {
        page(exchange, session, new Reply.Page(pathKnown ? 405 : 404, "console/error.jte",
            Map.of("title", pathKnown ? "Method not allowed" : "Not found",
                "message", pathKnown ? "This page does not take that method." : "There is no such page.")));
        return;
      }
      Map<String, String> form = Map.of();
      Origin origin = origin(exchange);
      if ("POST".equals(exchange.method())) {
        form = readForm(exchange);
        if (!sameOrigin(exchange, origin)) {
          refuse(exchange, session, "The form came from another site.");
          return;
        }
      }
      if (route.access() instanceof Access.SignedIn) {
        if (session.isEmpty()) {
          if ("GET".equals(exchange.method())) {
            redirect(exchange, new Reply.Redirect(PREFIX + "/sign-in"));
          } else {
            refuse(exchange, session, "Your session has ended. Sign in again.");
          }
          return;
        }
        if ("POST".equals(exchange.method()) && !session.get().acceptsCsrf(form.get(CSRF_FIELD))) {
          refuse(exchange, session, "The form has expired. Reload the page and try again.");
          return;
        }
      } else if ("POST".equals(exchange.method()) && !signInTokenMatches(exchange, form)) {
        refuse(exchange, session, "The form has expired. Reload the page and try again.");
        return;
      }
      List<String> groups = new ArrayList<>();
      for (int i = 1; i <= matched.groupCount(); i++) {
        // a path's '+' is a plus, not a space (URLDecoder decodes forms)
        groups.add(matched.group(i) == null ? null : URLDecoder.decode(matched.group(i).replace("+", "%2B"),
            StandardCharsets.UTF_8));
      }
      ConsoleRequest request = new ConsoleRequest(exchange, origin, session, groups, query(exchange), form,
          caller(exchange, origin, session));
      Reply reply;
      try {
        reply = route.handler().handle(request);
      } catch (WharfException e) {
        reply = errorPage(e);
      }
      switch (reply) {
        case Reply.Page page -> page(exchange, request.session(), page);
        case Reply.Redirect redirect -> redirect(exchange, redirect);
        case Reply.Written written -> { }
      }
    } catch (IOException | IllegalArgumentException e) {
      page(exchange, session, new Reply.Page(400, "console/error.jte", Map.of("title", "Bad request", "message",
          "The request could not be read.")));
    } catch (WharfException e) {
      page(exchange, session, errorPage(e));
    }
  }

  private Optional<dev.wharf.api.aws.Caller> caller(Exchange exchange, Origin origin,
      Optional<ConsoleSessions.Session> session) {
    return session.map(s -> new dev.wharf.api.aws.Caller(s.principal(),
        new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure()), exchange.requestId(),
        origin.value()));
  }

  private Origin origin(Exchange exchange) {
    return publicOrigin.orElseGet(() -> new Origin(exchange.origin(), exchange.isSecure()));
  }

  private void refuse(Exchange exchange, Optional<ConsoleSessions.Session> session, String message) {
    page(exchange, session, new Reply.Page(403, "console/error.jte", Map.of("title", "Refused", "message", message)));
  }

  /** Renders a page inside the layout: the session's principal and CSRF token and the asset URLs are added. */
  void page(Exchange exchange, Optional<ConsoleSessions.Session> session, Reply.Page page) {
    Map<String, Object> parameters = new HashMap<>(page.parameters());
    parameters.put("layout", new Layout(session.map(s -> s.principal().arn()).orElse(null),
        session.map(ConsoleSessions.Session::csrf).orElse(null), assets));
    StringOutput out = new StringOutput();
    try {
      templates.render(page.template(), parameters, out);
    } catch (TemplateException e) {
      LOG.error("request {}: console template {} failed", exchange.requestId(), page.template(), e);
      exchange.send(500, "text/plain; charset=utf-8", "The page could not be shown (request " + exchange.requestId()
          + ")");
      return;
    }
    exchange.setHeader("Cache-Control", "no-store");
    exchange.send(page.status(), "text/html; charset=utf-8", out.toString());
  }

  /** What every page's layout shows: who is signed in, the token its forms post, and where the assets are. */
  public record Layout(String principalArn, String csrf, ConsoleAssets assets) {
    public boolean signedIn() {
      return principalArn != null;
    }
  }

  private static void redirect(Exchange exchange, Reply.Redirect redirect) {
    redirect.cookies().forEach(cookie -> exchange.addHeader("Set-Cookie", cookie));
    exchange.setHeader("Location", redirect.path());
    exchange.setHeader("Cache-Control", "no-store");
    exchange.send(303, "text/plain; charset=utf-8", "");
  }

  private static void setSecurityHeaders(Exchange exchange) {
    exchange.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    exchange.setHeader("X-Frame-Options", "DENY");
    exchange.setHeader("X-Content-Type-Options", "nosniff");
    exchange.setHeader("Referrer-Policy", "same-origin");
    exchange.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  /**
   * Whether a POST comes from a console page: browsers send {@code Origin} with every POST; when it is
   * there it must be this server's (the CSRF token is checked besides).
   */
  private static boolean sameOrigin(Exchange exchange, Origin expected) {
    String origin = exchange.header("Origin");
    return origin == null || origin.equals(expected.value());
  }

  /** The sign-in form's token: the hidden field must equal the pre-session cookie set with the form. */
  private static boolean signInTokenMatches(Exchange exchange, Map<String, String> form) {
    String cookie = cookie(exchange, SIGN_IN_COOKIE);
    String posted = form.get(CSRF_FIELD);
    return cookie != null && posted != null && java.security.MessageDigest.isEqual(
        cookie.getBytes(StandardCharsets.UTF_8), posted.getBytes(StandardCharsets.UTF_8));
  }

  /** A cookie's value, or null. */
  static String cookie(Exchange exchange, String name) {
    String header = exchange.header("Cookie");
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String trimmed = part.strip();
      if (trimmed.startsWith(name + "=")) {
        return trimmed.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** A Set-Cookie value for the console: HttpOnly, SameSite=Strict, Secure when browsers reach it over TLS. */
  static String setCookie(Origin origin, String name, String value, long maxAgeSeconds) {
    return name + "=" + value + "; Path=" + PREFIX + "/; HttpOnly; SameSite=Strict"
        + (origin.secure() ? "; Secure" : "") + "; Max-Age=" + maxAgeSeconds;
  }

  private static Map<String, String> query(Exchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    FormEncoding.decodeInto(exchange.rawQuery(), query, false);
    return query;
  }

  private static Map<String, String> readForm(Exchange exchange) throws IOException {
    String type = exchange.header("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new IllegalArgumentException("not a form");
    }
    Map<String, String> form = new LinkedHashMap<>();
    FormEncoding.decodeInto(new String(exchange.readBody(MAX_FORM_BYTES), StandardCharsets.UTF_8), form, false);
    return form;
  }

  /** The page of a refusal: the operation's own message, with the status the API would answer. */
  private static Reply.Page errorPage(WharfException e) {
    return Reply.Page.of(FormatErrors.status(e), "console/error.jte", "title", title(e), "message",
        String.valueOf(e.getMessage()));
  }

  private static String title(WharfException e) {
    return switch (e) {
      case WharfException.AccessDenied denied -> "Access denied";
      case WharfException.NotFound notFound -> "Not found";
      case WharfException.Conflict conflict -> "Conflict";
      default -> "Refused";
    };
  }
}
