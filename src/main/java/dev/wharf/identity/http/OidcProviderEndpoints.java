package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.api.aws.QueryRequest;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.Tag;
import dev.wharf.identity.TaggedEntity;
import dev.wharf.identity.oidc.OidcProvider;
import dev.wharf.identity.oidc.OidcProviderService;
import java.util.List;
import java.util.Objects;

/** IAM's OpenID Connect provider actions: parse parameters, call {@link OidcProviderService}, render AWS's XML. */
public final class OidcProviderEndpoints {
  private final OidcProviderService providers;
  private final IdentityService identity;

  public OidcProviderEndpoints(OidcProviderService providers, IdentityService identity) {
    this.providers = Objects.requireNonNull(providers, "providers");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  public List<QueryOperation> operations() {
    return List.of(
        IamEndpoints.op("CreateOpenIDConnectProvider", IamEndpoints.creating(TaggedEntity.OIDC_PROVIDER,
            r -> new Resource(OidcProviderService.arnFor(account(r), r.required("Url")), account(r))), (r, x) -> {
              List<Tag> tags = IamEndpoints.tags(r);
              IdentityService.requireTags(tags);
              OidcProvider provider = providers.create(account(r), r.required("Url"), r.members("ClientIDList"),
                  r.members("ThumbprintList"));
              if (!tags.isEmpty()) {
                identity.tag(account(r), TaggedEntity.OIDC_PROVIDER, provider.arn(), tags);
              }
              x.text("OpenIDConnectProviderArn", provider.arn());
              IamEndpoints.tags(x, tags);
            }),
        IamEndpoints.op("GetOpenIDConnectProvider", this::providerResource, (r, x) -> {
          OidcProvider provider = providers.get(account(r), r.required("OpenIDConnectProviderArn"));
          x.text("Url", provider.url())
              .element("ClientIDList", list -> provider.clientIds().forEach(id -> list.text("member", id)))
              .element("ThumbprintList", list -> provider.thumbprints().forEach(print -> list.text("member", print)))
              .text("CreateDate", provider.createdAt());
          IamEndpoints.tags(x, identity.store().listTags(account(r), TaggedEntity.OIDC_PROVIDER, provider.arn()));
        }),
        IamEndpoints.op("ListOpenIDConnectProviders", r -> new Resource("arn:aws:iam::" + account(r) + ":oidc-provider/*", account(r)),
            (r, x) -> x.element("OpenIDConnectProviderList", list -> providers.list(account(r))
                .forEach(provider -> list.element("member", m -> m.text("Arn", provider.arn()))))),
        IamEndpoints.op("DeleteOpenIDConnectProvider", this::providerResource, (r, x) ->
            providers.delete(account(r), r.required("OpenIDConnectProviderArn"))),
        IamEndpoints.op("AddClientIDToOpenIDConnectProvider", this::providerResource, (r, x) ->
            providers.addClientId(account(r), r.required("OpenIDConnectProviderArn"), r.required("ClientID"))),
        IamEndpoints.op("RemoveClientIDFromOpenIDConnectProvider", this::providerResource, (r, x) ->
            providers.removeClientId(account(r), r.required("OpenIDConnectProviderArn"), r.required("ClientID"))),
        IamEndpoints.op("UpdateOpenIDConnectProviderThumbprint", this::providerResource, (r, x) ->
            providers.updateThumbprints(account(r), r.required("OpenIDConnectProviderArn"), r.members("ThumbprintList"))));
  }

  private static String account(QueryRequest r) {
    return r.principal().accountId();
  }

  private Resource providerResource(QueryRequest r) {
    return IamEndpoints.oidcProviderResource(identity.store(), r);
  }
}
