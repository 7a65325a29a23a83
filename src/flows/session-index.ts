// The session index from the flows' side: what a sign-in records (device, address), and revocation with its event.
import type { ResolvedConfig } from '../config.js';
import { storedAddress } from '../core/ip.js';
import { MAX_USER_AGENT } from '../core/user-agent.js';
import type { Device, RouteContext } from '../context.js';
import type { SessionRevokedEvent } from '../types.js';
import { fire } from './events.js';

export type { Device } from '../context.js';

/** The client address as the rate limiter sees it (its `ipHeader` / `clientIp`), else the socket's. */
export function clientIp(ctx: RouteContext): string | undefined {
  const limits = ctx.config.rateLimit;
  return limits ? limits.clientIp(ctx.header, () => ctx.request, ctx.clientAddress) : ctx.clientAddress;
}

export function deviceOf(ctx: RouteContext): Device {
  const { storeIp } = ctx.config.sessionIndex;
  return {
    userAgent: ctx.header('user-agent')?.slice(0, MAX_USER_AGENT) || null,
    ipAddress: storedAddress(clientIp(ctx), storeIp, ctx.config.secrets[0]),
  };
}

/** No cookie issued before now can outlive this: the longer of the cookie's and the JWT's lifetimes. */
export function revokedUntil(config: ResolvedConfig, now = Date.now()): Date {
  return new Date(now + Math.max(config.maxAge, config.jwtMaxAge) * 1000);
}

export interface Revoke {
  userId: string;
  ids: readonly string[];
  reason: SessionRevokedEvent['reason'];
}

/**
 * Ends JWT sessions by id: this instance refuses them at once, the store's log tells the others
 * (within the lag), and the index forgets them. Without a store only this instance knows.
 */
export async function revokeJwtSessions(config: ResolvedConfig, input: Revoke): Promise<void> {
  if (input.ids.length === 0) return;
  const until = revokedUntil(config);
  for (const id of input.ids) config.sessionIndex.revocations.list.add(id, until.valueOf());
  await recordJwtRevocation(config, input, until);
}

/** The shared half of a JWT revocation: the store's log (which the other instances poll), then the event. */
export async function recordJwtRevocation(config: ResolvedConfig, input: Revoke, until: Date): Promise<void> {
  await config.sessionIndex.store?.revokeSessions(input.ids, until);
  for (const id of input.ids) await fire(config, 'sessionRevoked', { userId: input.userId, sessionId: id, reason: input.reason, strategy: 'jwt' });
}

/** After database rows were deleted: their index records go, and the event fires. */
export async function forgetDatabaseSessions(config: ResolvedConfig, input: Revoke): Promise<void> {
  if (input.ids.length === 0) return;
  await config.sessionIndex.store?.revokeSessions(input.ids, null);
  for (const id of input.ids) await fire(config, 'sessionRevoked', { userId: input.userId, sessionId: id, reason: input.reason, strategy: 'database' });
}
