// Leases in process memory: the memory adapter's `leaseStore()`, and the fallback where no shared store is configured (one process only).
import type { LeaseStore } from '../adapters/types.js';

/** At most this many live keys: past it the oldest is dropped, so a flood cannot grow the map without bound. */
const MAX_KEYS = 100_000;

export function memoryLeaseStore(now: () => number = () => Date.now()): LeaseStore {
  const leases = new Map<string, { value: string; expires: number }>();
  const live = (key: string) => {
    const lease = leases.get(key);
    if (lease && lease.expires > now()) return lease;
    leases.delete(key);
    return undefined;
  };
  return {
    async add(key, value, ttlMs) {
      if (live(key)) return false;
      if (leases.size >= MAX_KEYS) leases.delete(leases.keys().next().value!);
      leases.set(key, { value, expires: now() + ttlMs });
      return true;
    },
    async set(key, value, ttlMs) {
      leases.set(key, { value, expires: now() + ttlMs });
    },
    async extend(key, ttlMs) {
      const lease = live(key);
      if (lease) lease.expires = now() + ttlMs;
    },
    get: async (key) => live(key)?.value ?? null,
    delete: async (key) => void leases.delete(key),
  };
}
