// The profile's source for plain OAuth 2.0 and `idToken: false`: the userinfo endpoint (OIDC Core §5.3) or any JSON resource the access token opens.
import * as o from 'oauth4webapi';
import { clientOf } from '../../core/oauth/client.js';
import type { OAuthSpec, Server } from '../../core/oauth/spec.js';
import { OAuthProtocolError } from '../../errors.js';
import type { Profile } from '../../types.js';
import { httpOptions } from './transport.js';

/**
 * The profile: from the userinfo endpoint (OIDC Core §5.3, whose `sub` must match the ID token's)
 * or, for plain OAuth 2.0, from any JSON resource that answers the access token.
 */
export async function fetchUserinfo(server: Server, spec: OAuthSpec, accessToken: string, expectedSubject: string | undefined): Promise<Profile> {
  const endpoint = server.as.userinfo_endpoint;
  if (!endpoint) throw new OAuthProtocolError('OAUTH_NO_USERINFO_ENDPOINT', 'no userinfo endpoint is configured or discovered');
  const url = new URL(endpoint);
  for (const [key, value] of Object.entries(spec.userinfo.params)) url.searchParams.set(key, value);
  const options = httpOptions<'GET', undefined>(spec);
  if (expectedSubject !== undefined && Object.keys(spec.userinfo.params).length === 0) {
    const response = await o.userInfoRequest(server.as, clientOf(spec), accessToken, options);
    return (await o.processUserInfoResponse(server.as, clientOf(spec), expectedSubject, response)) as Profile;
  }
  const response = await o.protectedResourceRequest(accessToken, 'GET', url, new Headers({ accept: 'application/json' }), null, httpOptions<string, o.ProtectedResourceRequestBody>(spec));
  if (!response.ok) throw new OAuthProtocolError('OAUTH_USERINFO_HTTP_ERROR', `userinfo endpoint answered HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new OAuthProtocolError('OAUTH_USERINFO_NOT_AN_OBJECT', 'userinfo endpoint did not answer a JSON object');
  return body as Profile;
}
