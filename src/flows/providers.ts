// Which flow serves each provider type at POST `signin/:id` and GET|POST `callback/:id`.
import type { ResolvedConfig, ResolvedProvider } from '../config.js';
import type { RouteContext, RouteResult } from '../routes/types.js';
import type { ProviderType } from '../types.js';
import { credentialsCallback } from './credentials.js';
import { emailCallback, emailSignIn } from './email.js';
import { oauthFlow } from './oauth.js';

export interface ProviderFlow {
  signIn(ctx: RouteContext, provider: ResolvedProvider): Promise<RouteResult>;
  callback(ctx: RouteContext, provider: ResolvedProvider): Promise<RouteResult>;
  /** Checks a provider's own options at `createAuth`, so a misconfiguration is a TypeError at start-up. */
  validate?(config: ResolvedConfig, provider: ResolvedProvider): void;
}

export const FLOWS: Readonly<Partial<Record<ProviderType, ProviderFlow>>> = Object.freeze({
  credentials: {
    // Credentials sign in at `callback/credentials`; POST `signin/credentials` sends the user to the page (v4 §2.6).
    signIn: async (ctx: RouteContext) => ({ redirect: `${ctx.url.base}/signin` }),
    callback: credentialsCallback,
  },
  email: { signIn: emailSignIn, callback: emailCallback },
  oauth: oauthFlow,
  oidc: oauthFlow,
});
