package dev.wharf.identity.oidc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.error.WharfException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * IAM's OpenID Connect providers: create, read, list, delete, client IDs and thumbprints, with IAM's
 * limits and errors. Callers have been authorized for the IAM action already. Providers are read on
 * every AssumeRoleWithWebIdentity through a cache that every change (on any node, through the change
 * listeners) clears.
 */
public final class OidcProviderService {
  /** IAM's quotas: providers per account, client IDs per provider, thumbprints per provider. */
  public static final int MAX_PROVIDERS_PER_ACCOUNT = 100;
  public static final int MAX_CLIENT_IDS = 100;
  public static final int MAX_THUMBPRINTS = 5;
  private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final OidcProviderStore store;
  private final Clock clock;
  private final Cache<String, Optional<OidcProvider>> providers;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

  public OidcProviderService(OidcProviderStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.providers = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
  }

  /** Registers a callback run after every change to a provider (the cluster tells the other nodes). */
  public void onChange(Runnable listener) {
    changeListeners.add(Objects.requireNonNull(listener));
  }

  /** Drops every cached provider (another node changed one). */
  public void invalidate() {
    providers.invalidateAll();
  }

  private void changed() {
    invalidate();
    changeListeners.forEach(Runnable::run);
  }

  public OidcProvider create(String accountId, String url, List<String> clientIds, List<String> thumbprints) {
    OidcProvider provider = new OidcProvider(accountId, normalizeUrl(url), checkedClientIds(clientIds),
        checkedThumbprints(thumbprints), clock.instant());
    switch (store.insert(provider, MAX_PROVIDERS_PER_ACCOUNT)) {
      case INSERTED -> changed();
      case ALREADY_EXISTS -> throw new WharfException.Conflict("EntityAlreadyExists",
          "Provider with url " + provider.issuer() + " already exists.");
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for OpenIdConnectProvidersPerAccount: " + MAX_PROVIDERS_PER_ACCOUNT);
    }
    return provider;
  }

  /** The account's provider with this ARN; NoSuchEntity when absent or another account's. */
  public OidcProvider get(String accountId, String providerArn) {
    if (providerArn == null || !providerArn.startsWith("arn:aws:iam::")) {
      throw new WharfException.Invalid("InvalidInput", "ARN " + providerArn + " is not valid.");
    }
    return store.find(providerArn).filter(p -> p.accountId().equals(accountId))
        .orElseThrow(() -> new WharfException.NotFound("NoSuchEntity",
            "OpenIDConnect Provider not found for arn " + providerArn));
  }

  public List<OidcProvider> list(String accountId) {
    return store.list(accountId);
  }

  public void delete(String accountId, String providerArn) {
    get(accountId, providerArn);
    if (store.delete(providerArn)) {
      changed();
    }
  }

  public void addClientId(String accountId, String providerArn, String clientId) {
    OidcProvider provider = get(accountId, providerArn);
    List<String> ids = new ArrayList<>(provider.clientIds());
    if (!ids.contains(clientId)) {
      ids.add(clientId);
    }
    update(provider.withClientIds(checkedClientIds(ids)));
  }

  public void removeClientId(String accountId, String providerArn, String clientId) {
    checkedClientIds(List.of(clientId));
    OidcProvider provider = get(accountId, providerArn);
    List<String> ids = new ArrayList<>(provider.clientIds());
    if (ids.remove(clientId)) {
      update(provider.withClientIds(ids));
    }
  }

  public void updateThumbprints(String accountId, String providerArn, List<String> thumbprints) {
    update(get(accountId, providerArn).withThumbprints(checkedThumbprints(thumbprints)));
  }

  private void update(OidcProvider provider) {
    if (!store.update(provider)) {
      throw new WharfException.NotFound("NoSuchEntity", "OpenIDConnect Provider not found for arn " + provider.arn());
    }
    changed();
  }

  /** The provider of an issuer ({@code iss}) in the account, if one is registered: cached, for the STS path. */
  public Optional<OidcProvider> forIssuer(String accountId, String issuer) {
    if (issuer == null || !issuer.startsWith("https://")) {
      return Optional.empty();
    }
    String url = issuer.substring("https://".length());
    if (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return providers.get(OidcProvider.arn(accountId, lowerHost(url)), store::find);
  }

  // ---------------------------------------------------------------- validation

  /** The ARN a provider for this issuer URL has in the account (the URL is checked as on create). */
  public static String arnFor(String accountId, String url) {
    return OidcProvider.arn(accountId, normalizeUrl(url));
  }

  /**
   * The issuer URL as IAM keeps it: {@code https://} required and dropped, the host lower-cased, no
   * query, fragment, user information or trailing slash.
   */
  static String normalizeUrl(String url) {
    if (url == null || url.isEmpty() || url.length() > 255) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'url' failed to"
          + " satisfy constraint: Member must have length between 1 and 255");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalidUrl(url);
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalidUrl(url);
    }
    String rest = url.substring("https://".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty() || rest.contains("//")) {
      throw invalidUrl(url);
    }
    return lowerHost(rest);
  }

  private static String lowerHost(String url) {
    int slash = url.indexOf('/');
    return slash < 0 ? url.toLowerCase(Locale.ROOT) : url.substring(0, slash).toLowerCase(Locale.ROOT) + url.substring(slash);
  }

  private static WharfException invalidUrl(String url) {
    return new WharfException.Invalid("InvalidInput", "Invalid URL " + url
        + ": it must begin with https:// and name a host, without a query, a fragment or user information");
  }

  private static List<String> checkedClientIds(List<String> clientIds) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (String id : clientIds) {
      if (id == null || id.isEmpty() || id.length() > 255) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'clientID' failed"
            + " to satisfy constraint: Member must have length between 1 and 255");
      }
      ids.add(id);
    }
    if (ids.size() > MAX_CLIENT_IDS) {
      throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + MAX_CLIENT_IDS);
    }
    return List.copyOf(ids);
  }

  private static List<String> checkedThumbprints(List<String> thumbprints) {
    LinkedHashSet<String> prints = new LinkedHashSet<>();
    for (String print : thumbprints) {
      if (print == null || !THUMBPRINT.matcher(print).matches()) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + print
            + "' at 'thumbprintList' failed to satisfy constraint: Member must be 40 hexadecimal characters");
      }
      prints.add(print.toLowerCase(Locale.ROOT));
    }
    if (prints.size() > MAX_THUMBPRINTS) {
      throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: " + MAX_THUMBPRINTS);
    }
    return List.copyOf(prints);
  }
}
