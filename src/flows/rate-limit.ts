// Applies the configured rate limits to one request: failed credentials per IP and identifier, magic-link sends per address and IP.
import type { RateRule } from '../core/rate-limit.js';
import { retryAfter } from '../core/rate-limit.js';
import { RateLimitedError } from '../errors.js';
import type { RouteContext } from '../context.js';
import { rememberIdentifier, reportRateLimited } from './security-events.js';

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

/** An attempt counted in advance; what the caller does with it once the outcome is known. */
export interface Reservation {
  /** The attempt succeeded: the IP's hit is given back and the identifier's failures are forgiven. */
  succeeded(): Promise<void>;
  /**
   * The attempt never got an answer (the store or a service was down): every hit is given back,
   * so an outage never counts against the user. Best effort: with the store down, the refund may fail too.
   */
  release(): Promise<void>;
}

const NOTHING_RESERVED: Reservation = { succeeded: async () => undefined, release: async () => undefined };

/**
 * Counts the attempt in every bucket first (one atomic increment each) and refuses when any bucket
 * is past its limit. Counting before the work, not after it, is what holds under a burst: of 40
 * parallel guesses each gets its own count, so only `limit` of them run, where a read-then-count
 * check let all 40 through. A refused attempt gives its hits back, so refusals never lengthen a
 * lock-out or spill into the other bucket.
 */
async function reserve(ctx: RouteContext, kind: 'credentials' | 'email', list: Bucket[]): Promise<Bucket[]> {
  const store = ctx.config.rateLimit?.store;
  if (!store || list.length === 0) return [];
  const settled = await Promise.allSettled(
    list.map(async ({ key, rule }) => {
      const state = await store.hit(key, rule.window);
      // The count before this attempt: the attempt that would make it limit + 1 is refused.
      return { count: state.count - 1, resetAt: state.resetAt, limit: rule.limit };
    }),
  );
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) {
    // One bucket's store failed (an outage): the hits that did land are given back before the error goes on.
    await refundAll(
      store,
      list.filter((_, i) => settled[i]?.status === 'fulfilled'),
    );
    throw failed.reason;
  }
  const states = settled.map((outcome) => (outcome as PromiseFulfilledResult<{ count: number; resetAt: number; limit: number }>).value);
  const wait = retryAfter(states, Date.now());
  if (wait > 0) {
    await Promise.all(list.map(({ key }) => store.refund(key)));
    await reportRateLimited(ctx, kind, wait);
    throw new RateLimitedError(wait);
  }
  return list;
}

/** Gives each bucket its hit back; a refund that fails is dropped (the window ends it anyway). */
async function refundAll(store: NonNullable<RouteContext['config']['rateLimit']>['store'], list: Bucket[]): Promise<void> {
  await Promise.allSettled(list.map(({ key }) => store.refund(key)));
}

function reservation(store: NonNullable<RouteContext['config']['rateLimit']>['store'], held: Bucket[], succeeded: () => Promise<void>): Reservation {
  return { succeeded, release: () => refundAll(store, held) };
}

/** Before `authorize()`: reserves one failure per IP and identifier; a failed sign-in keeps it. */
export async function reserveCredentialsAttempt(ctx: RouteContext, identifier: string | undefined): Promise<Reservation> {
  if (identifier) rememberIdentifier(ctx, identifier);
  const store = ctx.config.rateLimit?.store;
  const held = await reserve(ctx, 'credentials', buckets(ctx, 'credentials', identifier));
  if (!store || held.length === 0) return NOTHING_RESERVED;
  return reservation(store, held, async () => {
    await Promise.all(held.map(({ key }) => (key.startsWith('credentials:id:') ? store.reset(key) : store.refund(key))));
  });
}

/** Before sending a magic link: counts the send and refuses past the limit (mail bombing); `release()` if the link was never stored. */
export async function countEmailSend(ctx: RouteContext, address: string): Promise<Reservation> {
  rememberIdentifier(ctx, address);
  const store = ctx.config.rateLimit?.store;
  const held = await reserve(ctx, 'email', buckets(ctx, 'email', address));
  if (!store || held.length === 0) return NOTHING_RESERVED;
  return reservation(store, held, async () => undefined);
}
