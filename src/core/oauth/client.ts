// The client as oauth4webapi sees it: metadata and client authentication (RFC 6749 §2.3), and a log label for its errors.
import * as o from 'oauth4webapi';
import { base64Encode } from '../crypto.js';
import type { OAuthSpec } from './spec.js';

export function clientOf(spec: OAuthSpec): o.Client {
  return { ...spec.clientMetadata, client_id: spec.clientId };
}

export function clientAuthOf(spec: OAuthSpec): o.ClientAuth {
  switch (spec.clientAuth) {
    case 'client_secret_post':
      return o.ClientSecretPost(spec.clientSecret!);
    case 'none':
      return o.None();
    default:
      return clientSecretBasic(spec.clientSecret!);
  }
}

/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1) with the encoding openid-client, and so next-auth
 * v4, used: `encodeURIComponent`, spaces as `+`. oauth4webapi also escapes `-`, `.`, `_`, `~`, which a
 * server that decodes accepts, but several do not decode, and client ids such as Google's
 * `123-abc.apps.googleusercontent.com` then stop working after a v4 migration.
 */
function clientSecretBasic(clientSecret: string): o.ClientAuth {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${base64Encode(new TextEncoder().encode(`${encode(client.client_id)}:${encode(clientSecret)}`))}`);
  };
}

/** A short label for logs: the oauth4webapi error code or the error name, never a token. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof o.AuthorizationResponseError) return { code: error.code, error: error.error };
  if (error instanceof o.ResponseBodyError) return { code: error.code, error: error.error, status: error.status };
  if (error instanceof o.WWWAuthenticateChallengeError) return { code: error.code, status: error.status };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(cause instanceof Error ? { cause: { name: cause.name, message: cause.message } } : {}),
    };
  }
  return { error: String(error) };
}
