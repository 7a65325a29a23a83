// JWE session tokens as next-auth v4 writes them: compact `dir` + `A256GCM`, HKDF-derived keys, pinned on decode.
import type { JWT } from '../types.js';
import { deriveEncryptionKey, importAesGcmKey, randomUUID, type AesGcmKey } from './crypto.js';
import { openAuthjsJwe, type AuthjsKeys } from './authjs-jwe.js';
import { openJweWithKey, sealJwe } from './jwe.js';

/** v4's default lifetime: 30 days. */
export const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

/** v4 decodes with 15 s of clock tolerance for exp/nbf/iat. */
const CLOCK_TOLERANCE = 15;

/**
 * The keys of one purpose (salt): the first encrypts, every one decrypts, so a rotated secret
 * keeps old cookies readable. Web Crypto derives asynchronously, so the keys are derived on first
 * use and kept: once per instance for the session keys, not per request.
 */
export interface JweKeys {
  /** Resolves to one key per secret, the current secret's first. */
  keys(): Promise<readonly AesGcmKey[]>;
}

export function deriveKeys(secrets: readonly string[], salt = ''): JweKeys {
  let derived: Promise<readonly AesGcmKey[]> | undefined;
  return {
    keys: () => (derived ??= Promise.all(secrets.map(async (secret) => importAesGcmKey(await deriveEncryptionKey(secret, salt))))),
  };
}

export function secretList(secret: string | readonly string[] | undefined): string[] {
  if (secret === undefined) return [];
  return (typeof secret === 'string' ? [secret] : [...secret]).filter((s) => typeof s === 'string' && s.length > 0);
}

/**
 * Encrypts a token as v4 does, with fresh `iat`, `exp` and `jti`: the same compact JWE jose
 * writes (checked against jose in the tests).
 */
export async function encryptToken(token: JWT, keys: JweKeys, maxAge: number, now = Math.floor(Date.now() / 1000)): Promise<string> {
  const [current] = await keys.keys();
  return sealJwe(JSON.stringify({ ...token, iat: now, exp: now + maxAge, jti: randomUUID() }), current!);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Decrypts with each key in turn; null for anything that is not a live token of ours. The
 * algorithms are pinned (no `zip`, no PBES2, no JWS), which closes the jose advisories' classes;
 * `exp`, `nbf` and `iat` are checked as jose checks them, with v4's 15 s tolerance.
 */
export async function decryptToken(token: string | undefined, keys: JweKeys, now = Math.floor(Date.now() / 1000)): Promise<JWT | null> {
  return (await decryptTokenWithKey(token, keys, now))?.payload ?? null;
}

/** As decryptToken, also saying whether a rotated-out secret opened it (so the caller re-issues). */
export async function decryptTokenWithKey(token: string | undefined, keys: JweKeys, now = Math.floor(Date.now() / 1000), cache?: OpenedTokenCache): Promise<{ payload: JWT; rotated: boolean } | null> {
  if (!token || token.length > 64 * 1024) return null;
  const opened = cache ? (cache.hit(token) ?? (await cache.open(token, keys))) : await openJweWithKey(token, await keys.keys());
  if (opened === null) return null;
  const payload = livePayload(opened.plaintext, now);
  return payload ? { payload, rotated: opened.keyIndex > 0 } : null;
}

/** A JWT payload that parses to an object and is live at `now`, as jose checks `exp`, `nbf` and `iat`. */
function livePayload(plaintext: string, now: number): JWT | null {
  let payload: unknown;
  try {
    payload = JSON.parse(plaintext);
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const { exp, nbf, iat } = payload as JWT & { nbf?: unknown };
  if (exp !== undefined && (!isNumber(exp) || exp <= now - CLOCK_TOLERANCE)) return null;
  if (nbf !== undefined && (!isNumber(nbf) || nbf > now + CLOCK_TOLERANCE)) return null;
  if (iat !== undefined && !isNumber(iat)) return null;
  return payload as JWT;
}

/**
 * A session token next-auth v5 issued (@auth/core's `encode`), checked as its `decode` checks it
 * (the same 15 s tolerance): how a v5 app's signed-in users carry over. Null otherwise.
 */
export async function decryptAuthjsToken(token: string | undefined, keys: AuthjsKeys, now = Math.floor(Date.now() / 1000)): Promise<JWT | null> {
  if (!token || token.length > 64 * 1024) return null;
  const opened = await openAuthjsJwe(token, keys);
  return opened ? livePayload(opened.plaintext, now) : null;
}

/**
 * The plaintexts of recently opened session cookies, keyed by the exact cookie string. A browser
 * sends the same cookie on every page view until it is re-issued, and an authenticated ciphertext
 * always opens to the same plaintext, so the AES-GCM open runs once per cookie, not per request.
 * Only the plaintext is kept: each read parses a fresh payload (callbacks may change it) and checks
 * `exp`/`nbf` again. Failures are not cached (a forged cookie costs its sender, not the cache).
 * Bounded: the oldest entry goes first; long cookies are not kept.
 */
export class OpenedTokenCache {
  readonly #entries = new Map<string, { plaintext: string; keyIndex: number }>();

  constructor(
    private readonly maxEntries = 1024,
    private readonly maxTokenLength = 4096,
  ) {}

  /** The cached opening of exactly this cookie, without a round trip through a promise. */
  hit(token: string): { plaintext: string; keyIndex: number } | undefined {
    return this.#entries.get(token);
  }

  async open(token: string, keys: JweKeys): Promise<{ plaintext: string; keyIndex: number } | null> {
    const hit = this.#entries.get(token);
    if (hit) return hit;
    const opened = await openJweWithKey(token, await keys.keys());
    if (opened && token.length <= this.maxTokenLength && this.maxEntries > 0) {
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(token, opened);
    }
    return opened;
  }

  get size(): number {
    return this.#entries.size;
  }
}
