// Which flow serves each provider type at POST `signin/:id` and GET|POST `callback/:id`: one table, total over the types.
import type { ProviderByType, ResolvedProvider } from '../config.js';
import type { RouteContext, RouteResult } from '../context.js';
import type { ProviderType } from '../types.js';
import { credentialsCallback } from './credentials.js';
import { emailCallback, emailSignIn } from './email.js';
import { oauthFlow } from './oauth.js';
import { passkeyCallback } from './passkey.js';
import { passwordCallback } from './password/sign-in.js';

/** A provider type's flow; it gets its own provider type, checked at createAuth, so it never casts. */
export interface Flow<P extends ResolvedProvider> {
  signIn(ctx: RouteContext, provider: P): Promise<RouteResult>;
  callback(ctx: RouteContext, provider: P): Promise<RouteResult>;
}

export const FLOWS: { readonly [T in ProviderType]: Flow<ProviderByType[T]> } = Object.freeze({
  credentials: {
    // Credentials sign in at `callback/credentials`; POST `signin/credentials` sends the user to the page (packages/next-auth/src/core/routes/signin.ts on branch v4).
    signIn: async (ctx: RouteContext) => ({ redirect: `${ctx.url.base}/signin` }),
    callback: credentialsCallback,
  },
  password: {
    // Like credentials: the form posts to `callback/password`.
    signIn: async (ctx: RouteContext) => ({ redirect: `${ctx.url.base}/signin` }),
    callback: passwordCallback,
  },
  email: { signIn: emailSignIn, callback: emailCallback },
  oauth: oauthFlow,
  oidc: oauthFlow,
  webauthn: {
    // A passkey signs in from the page's script (gatehouse-auth/webauthn); POST `signin/passkey` sends the user to the page.
    signIn: async (ctx: RouteContext) => ({ redirect: `${ctx.url.base}/signin` }),
    callback: passkeyCallback,
  },
});

/** The flow of a provider's type (`flowOf(provider.type).callback(ctx, provider)`). */
export function flowOf<T extends ProviderType>(type: T): Flow<ProviderByType[T]> {
  return FLOWS[type];
}
