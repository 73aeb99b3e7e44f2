package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.api.aws.QueryRequest;
import dev.wharf.identity.oidc.OidcProvider;
import dev.wharf.identity.oidc.OidcProviderService;
import java.util.List;
import java.util.Objects;

/** IAM's OpenID Connect provider actions: parse parameters, call {@link OidcProviderService}, render AWS's XML. */
public final class OidcProviderEndpoints {
  private final OidcProviderService providers;

  public OidcProviderEndpoints(OidcProviderService providers) {
    this.providers = Objects.requireNonNull(providers, "providers");
  }

  public List<QueryOperation> operations() {
    return List.of(
        IamEndpoints.op("CreateOpenIDConnectProvider",
            r -> new Resource(OidcProviderService.arnFor(account(r), r.required("Url")), account(r)), (r, x) -> {
              r.refuseUnsupported("Tags");
              OidcProvider provider = providers.create(account(r), r.required("Url"), r.members("ClientIDList"),
                  r.members("ThumbprintList"));
              x.text("OpenIDConnectProviderArn", provider.arn());
            }),
        IamEndpoints.op("GetOpenIDConnectProvider", OidcProviderEndpoints::providerResource, (r, x) -> {
          OidcProvider provider = providers.get(account(r), r.required("OpenIDConnectProviderArn"));
          x.text("Url", provider.url())
              .element("ClientIDList", list -> provider.clientIds().forEach(id -> list.text("member", id)))
              .element("ThumbprintList", list -> provider.thumbprints().forEach(print -> list.text("member", print)))
              .text("CreateDate", provider.createdAt());
        }),
        IamEndpoints.op("ListOpenIDConnectProviders", r -> new Resource("arn:aws:iam::" + account(r) + ":oidc-provider/*", account(r)),
            (r, x) -> x.element("OpenIDConnectProviderList", list -> providers.list(account(r))
                .forEach(provider -> list.element("member", m -> m.text("Arn", provider.arn()))))),
        IamEndpoints.op("DeleteOpenIDConnectProvider", OidcProviderEndpoints::providerResource, (r, x) ->
            providers.delete(account(r), r.required("OpenIDConnectProviderArn"))),
        IamEndpoints.op("AddClientIDToOpenIDConnectProvider", OidcProviderEndpoints::providerResource, (r, x) ->
            providers.addClientId(account(r), r.required("OpenIDConnectProviderArn"), r.required("ClientID"))),
        IamEndpoints.op("RemoveClientIDFromOpenIDConnectProvider", OidcProviderEndpoints::providerResource, (r, x) ->
            providers.removeClientId(account(r), r.required("OpenIDConnectProviderArn"), r.required("ClientID"))),
        IamEndpoints.op("UpdateOpenIDConnectProviderThumbprint", OidcProviderEndpoints::providerResource, (r, x) ->
            providers.updateThumbprints(account(r), r.required("OpenIDConnectProviderArn"), r.members("ThumbprintList"))));
  }

  private static String account(QueryRequest r) {
    return r.principal().accountId();
  }

  private static Resource providerResource(QueryRequest r) {
    return new Resource(r.required("OpenIDConnectProviderArn"), account(r));
  }
}
