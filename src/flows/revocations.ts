// Revoked JWT session ids on the read path: a local lookup per request, and a poll of the shared log at most once per lag interval.
import type { SessionStore } from '../adapters/types.js';
import type { ResolvedConfig } from '../config.js';

/**
 * How far back each poll reaches before the newest revocation seen: a revocation whose write
 * committed after a later one was read (two instances revoking at once) is still picked up.
 */
export const POLL_OVERLAP_MS = 10_000;

/**
 * Nothing to await while the last poll is younger than the lag; past it, the request awaits the
 * one poll in flight (every concurrent request joins it). So an instance asks the store at most
 * once per lag interval whatever its traffic, and a revocation anywhere is refused everywhere
 * from `lag` plus one round-trip after it. After a failed poll requests do not wait: they are
 * served from what is known (the failure is logged) while the next poll retries in the background.
 */
export function revocationsReady(config: ResolvedConfig, now: number): Promise<void> | undefined {
  const { store, lagMs, revocations: state } = config.sessionIndex;
  if (!store || now - state.polledAt < lagMs) return undefined;
  const polling = (state.inFlight ??= poll(config, store, now));
  return state.failing ? undefined : polling;
}

async function poll(config: ResolvedConfig, store: SessionStore, startedAt: number): Promise<void> {
  const { revocations: state } = config.sessionIndex;
  try {
    const since = state.cursor === 0 ? 0 : state.cursor - POLL_OVERLAP_MS;
    for (const entry of await store.revocationsSince(since)) {
      state.list.add(entry.id, entry.expires);
      if (entry.revokedAt > state.cursor) state.cursor = entry.revokedAt;
    }
    state.failing = false;
    const evicted = state.list.takeEvicted();
    if (evicted > 0) config.logger.warn('REVOCATIONS_EVICTED', { message: `${evicted} revoked session ids dropped for room (list full)` });
  } catch (error) {
    state.failing = true;
    config.logger.error('REVOCATION_POLL_ERROR', error);
  } finally {
    state.polledAt = startedAt;
    state.inFlight = undefined;
  }
}

/** Whether this JWT session id is revoked as far as this instance knows. */
export function isRevoked(config: ResolvedConfig, sessionId: string, now: number): boolean {
  return config.sessionIndex.revocations.list.has(sessionId, now);
}
