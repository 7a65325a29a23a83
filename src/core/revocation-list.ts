// The revoked JWT session ids one instance knows of, each until the last moment a cookie carrying it could still be valid.

/** 100,000 ids of ~40 bytes: a few megabytes, and more sign-outs per maxAge than most apps see. */
export const MAX_REVOKED = 100_000;

/**
 * Bounded so that a flood of sign-outs cannot grow memory without end: past the bound the entry
 * nearest its expiry goes first (Map order is insertion order, and entries mostly arrive in
 * expiry order). That one cookie could then work again until it expires; `evicted` counts them
 * so the instance can say so in its log.
 */
export class RevocationList {
  readonly #until = new Map<string, number>();
  #evicted = 0;

  constructor(private readonly max = MAX_REVOKED) {}

  add(id: string, until: number): void {
    const known = this.#until.get(id);
    if (known !== undefined && known >= until) return;
    this.#until.delete(id);
    if (this.#until.size >= this.max) {
      this.#until.delete(this.#until.keys().next().value!);
      this.#evicted += 1;
    }
    this.#until.set(id, until);
  }

  /** Whether `id` is revoked at `now` (ms); an expired entry is forgotten as it is met. */
  has(id: string, now: number): boolean {
    const until = this.#until.get(id);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#until.delete(id);
    return false;
  }

  get size(): number {
    return this.#until.size;
  }

  /** How many entries were dropped for room since the last call. */
  takeEvicted(): number {
    const count = this.#evicted;
    this.#evicted = 0;
    return count;
  }
}

/** Where one instance stands in polling the shared revocation log; the polling itself is in `flows/revocations.ts`. */
export interface RevocationState {
  readonly list: RevocationList;
  /** The newest `revokedAt` seen (the store's clock). */
  cursor: number;
  /** When the last poll started (this instance's clock); -Infinity before the first. */
  polledAt: number;
  /** The last poll failed: serve what is known and retry in the background, without making requests wait. */
  failing: boolean;
  inFlight: Promise<void> | undefined;
}

export function revocationState(max = MAX_REVOKED): RevocationState {
  return { list: new RevocationList(max), cursor: 0, polledAt: -Infinity, failing: false, inFlight: undefined };
}
