// Fixed-window attempt counting for brute-force and mail-bombing protection, over a pluggable store.
import type { RateLimitStore } from '../types.js';

export type { RateLimitStore } from '../types.js';

export interface RateRule {
  /** Attempts allowed per window. */
  limit: number;
  /** Window length in seconds. */
  window: number;
}

const MAX_KEYS = 100_000;

/**
 * One process's counters. Expired windows are dropped as they are met and, past MAX_KEYS, the
 * oldest are evicted, so a flood of distinct keys cannot grow memory without bound.
 */
export function memoryRateLimitStore(now: () => number = () => Date.now()): RateLimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async hit(key, windowSeconds) {
      let entry = current(key);
      if (!entry) {
        if (windows.size >= MAX_KEYS) windows.delete(windows.keys().next().value!);
        entry = { count: 0, resetAt: now() + windowSeconds * 1000 };
        windows.set(key, entry);
      }
      entry.count += 1;
      return { ...entry };
    },
    async peek(key) {
      const entry = current(key);
      return entry ? { ...entry } : { count: 0, resetAt: 0 };
    },
    async refund(key) {
      const entry = current(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/** Seconds until the earliest of the exceeded windows ends (at least 1), or 0 when none is exceeded. */
export function retryAfter(states: ReadonlyArray<{ count: number; resetAt: number; limit: number }>, nowMs: number): number {
  let wait = 0;
  for (const state of states) {
    if (state.count >= state.limit) wait = Math.max(wait, Math.ceil((state.resetAt - nowMs) / 1000));
  }
  return wait > 0 ? wait : states.some((s) => s.count >= s.limit) ? 1 : 0;
}
