// Discovery (OIDC Discovery 1.0, RFC 8414): the authorization server's metadata, fetched once and laid under the configured endpoints.
import * as o from 'oauth4webapi';
import type { OAuthSpec, Server } from '../../core/oauth/spec.js';
import { httpOptions } from './transport.js';

/** The issuer a discovery URL stands for: the URL minus `/.well-known/openid-configuration` (OIDC Discovery 1.0 §4). */
export function issuerOfDiscoveryUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/?\.well-known\/(openid-configuration|oauth-authorization-server)$/, '');
  return `${parsed.origin}${path}`;
}

/**
 * Fetches and validates the discovery document, then lays configured endpoints over it. The
 * document's issuer must equal the one the URL stands for (OIDC Discovery 1.0 §4.3); the Entra
 * `{tenantid}` placeholder is the documented exception, resolved per ID token.
 */
export async function resolveServer(spec: OAuthSpec): Promise<Server> {
  let as: o.AuthorizationServer;
  let issuerTemplate: string | undefined;
  if (spec.discoveryUrl) {
    let expected = spec.issuer ?? issuerOfDiscoveryUrl(spec.discoveryUrl);
    const discoveryUrl = spec.discoveryUrl;
    // oauth4webapi builds the well-known URL from the issuer; v4 configs name the document itself
    // (with its query, e.g. Entra's `?appid=`), so the request is pointed at that URL.
    const response = await o.discoveryRequest(
      new URL(expected),
      httpOptions<'GET', undefined>(spec, (_url, init) => spec.fetch(discoveryUrl, init)),
    );
    let checked = response;
    if (response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { issuer?: unknown } | null;
      const documented = body && typeof body.issuer === 'string' ? body.issuer : undefined;
      if (body && documented?.includes('{tenantid}')) {
        issuerTemplate = documented;
        const tenant = /\/([^/]+)\/v2\.0\/?$/.exec(new URL(expected).pathname)?.[1] ?? 'common';
        checked = Response.json({ ...body, issuer: documented.replace('{tenantid}', tenant) }, { status: 200 });
      } else if (documented !== undefined && documented !== expected && documented.replace(/\/$/, '') === expected.replace(/\/$/, '')) {
        // Configured with or without the trailing slash the server's issuer has (Auth0, authentik):
        // the same document location, so the server's spelling is the one ID tokens will carry.
        expected = documented;
      }
    }
    as = await o.processDiscoveryResponse(new URL(expected), checked);
  } else {
    as = { issuer: spec.issuer ?? spec.authorization.url! };
  }
  const merged: Record<string, unknown> = { ...as };
  if (spec.authorization.url) merged.authorization_endpoint = spec.authorization.url;
  if (spec.token.url) merged.token_endpoint = spec.token.url;
  if (spec.userinfo.url) merged.userinfo_endpoint = spec.userinfo.url;
  if (spec.jwksUri) merged.jwks_uri = spec.jwksUri;
  return { as: merged as unknown as o.AuthorizationServer, issuerKnown: spec.discoveryUrl !== undefined || spec.issuer !== undefined, issuerTemplate };
}
