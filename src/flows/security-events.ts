// The security events beyond v4's: a failed sign-in and a rate-limited request, with who tried from where (identifiers hashed).
import { hmacSha256Hex } from '../core/crypto.js';
import { AuthError, RateLimitedError, ServiceUnavailableError } from '../errors.js';
import type { RouteContext } from '../context.js';
import { fire } from './events.js';
import { clientIp } from './session-index.js';

const IDENTIFIER = 'signInIdentifier';

/** Called by the steps that know the identifier (the rate-limit checks), so the events can name it. */
export function rememberIdentifier(ctx: RouteContext, identifier: string): void {
  ctx.memo.set(IDENTIFIER, identifier);
}

/**
 * An HMAC under the app's first secret, over the identifier as the rate limiter normalises it:
 * the same person's failures group together, and an audit table holds no typed emails.
 */
function identifierHash(ctx: RouteContext): string | undefined {
  const identifier = ctx.memo.get(IDENTIFIER);
  if (typeof identifier !== 'string' || identifier === '') return undefined;
  return hmacSha256Hex(ctx.config.secrets[0], `identifier:${identifier.normalize('NFKC').trim().toLowerCase()}`);
}

function who(ctx: RouteContext) {
  return { ip: clientIp(ctx), userAgent: ctx.header('user-agent') ?? undefined, identifierHash: identifierHash(ctx) };
}

/** The handler calls this for every error a sign-in route (POST `signin/*`, `callback/*`) ends in. */
export async function reportSignInFailure(ctx: RouteContext, error: unknown): Promise<void> {
  // An outage is not a failed sign-in: the user did nothing wrong, and audit trails should not say so.
  if (!(error instanceof AuthError) || error instanceof RateLimitedError || error instanceof ServiceUnavailableError) return;
  if (ctx.action !== 'callback' && !(ctx.action === 'signin' && ctx.method === 'POST')) return;
  if (!ctx.config.events.signInFailure) return;
  await fire(ctx.config, 'signInFailure', { reason: error.code, provider: ctx.providerId, ...who(ctx) });
}

export async function reportRateLimited(ctx: RouteContext, kind: 'credentials' | 'email', retryAfter: number): Promise<void> {
  if (!ctx.config.events.rateLimited) return;
  await fire(ctx.config, 'rateLimited', { kind, provider: ctx.providerId, retryAfter, ...who(ctx) });
}
