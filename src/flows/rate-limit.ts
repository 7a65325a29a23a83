// Applies the configured rate limits to one request: failed credentials per IP and identifier, magic-link sends per IP and address.
import type { RateRule } from '../core/rate-limit.js';
import { retryAfter } from '../core/rate-limit.js';
import { RateLimited } from '../errors.js';
import type { RouteContext } from '../routes/types.js';

interface Bucket {
  key: string;
  rule: RateRule;
}

function buckets(ctx: RouteContext, kind: 'credentials' | 'email', identifier: string | undefined): Bucket[] {
  const limits = ctx.config.rateLimit;
  if (!limits) return [];
  const out: Bucket[] = [];
  const ip = limits.clientIp(ctx.header, () => ctx.request, ctx.clientAddress);
  const perIp = kind === 'credentials' ? limits.credentialsPerIp : limits.emailPerIp;
  const perId = kind === 'credentials' ? limits.credentialsPerIdentifier : limits.emailPerAddress;
  if (perIp && ip) out.push({ key: `${kind}:ip:${ip}`, rule: perIp });
  if (perId && identifier) out.push({ key: `${kind}:id:${identifier.normalize('NFKC').trim().toLowerCase()}`, rule: perId });
  return out;
}

async function refuseIfExceeded(ctx: RouteContext, states: Array<{ count: number; resetAt: number; limit: number }>): Promise<void> {
  const wait = retryAfter(states, Date.now());
  if (wait > 0) throw new RateLimited(wait);
}

/** Before `authorize()`: refuse while this IP or identifier has too many recent failures. */
export async function checkCredentialsLimit(ctx: RouteContext, identifier: string | undefined): Promise<void> {
  const list = buckets(ctx, 'credentials', identifier);
  const store = ctx.config.rateLimit?.store;
  if (!store || list.length === 0) return;
  const states = await Promise.all(list.map(async ({ key, rule }) => ({ ...(await store.peek(key)), limit: rule.limit })));
  await refuseIfExceeded(ctx, states);
}

/** After a failed `authorize()`: count it against the IP and the identifier. */
export async function recordCredentialsFailure(ctx: RouteContext, identifier: string | undefined): Promise<void> {
  const store = ctx.config.rateLimit?.store;
  if (!store) return;
  await Promise.all(buckets(ctx, 'credentials', identifier).map(({ key, rule }) => store.hit(key, rule.window)));
}

/** After a successful sign-in: the identifier's failures are forgiven (the IP's are not). */
export async function clearCredentialsFailures(ctx: RouteContext, identifier: string | undefined): Promise<void> {
  const store = ctx.config.rateLimit?.store;
  const idBucket = buckets(ctx, 'credentials', identifier).find((b) => b.key.startsWith('credentials:id:'));
  if (store && idBucket) await store.reset(idBucket.key);
}

/** Before sending a magic link: count the send and refuse past the limit (mail bombing). */
export async function countEmailSend(ctx: RouteContext, address: string): Promise<void> {
  const store = ctx.config.rateLimit?.store;
  if (!store) return;
  const states = await Promise.all(
    buckets(ctx, 'email', address).map(async ({ key, rule }) => {
      const state = await store.hit(key, rule.window);
      // The hit that crosses the limit is itself refused: count > limit.
      return { count: state.count - 1, resetAt: state.resetAt, limit: rule.limit };
    }),
  );
  await refuseIfExceeded(ctx, states);
}
