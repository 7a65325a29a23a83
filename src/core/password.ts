// Password hashing with scrypt (RFC 7914): the cost parameters travel with each hash (so they can be raised later), and checks are constant-time.
import { scryptAsync } from '@noble/hashes/scrypt';
import { base64urlDecode, base64urlEncode, randomBytes, safeEqualBytes, type Bytes } from './crypto.js';
import { nativeScrypt } from './native-crypto.js';

export interface ScryptParams {
  /** CPU and memory cost, a power of two. Memory used is about 128 × N × r bytes. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * OWASP's Password Storage Cheat Sheet minimum for scrypt: N = 2^17, r = 8, p = 1, which takes
 * 128 MiB and roughly half a second on a small server core. Lower it (say N = 2^15) only where
 * memory is tight and rate limiting is on; raise it as hardware allows, and `needsRehash` tells
 * which stored hashes to renew at the next successful sign-in.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

const PREFIX = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Far above any sensible password, far below what would make one check expensive. */
const MAX_PASSWORD_BYTES = 4096;
/** A stored hash asking for more than this is refused rather than computed: it would be a denial of service. */
const MAX_MEMORY_BYTES = 2 ** 30;
const MAX_P = 16;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

/**
 * Web Crypto has no scrypt: node:crypto's wherever the runtime has it (Node, Bun, Deno, Workers
 * with nodejs_compat), else @noble/hashes' (audited; the same output, several times slower, and it
 * yields to the event loop while it works).
 */
async function derive(password: string, salt: Bytes, keyLength: number, params: ScryptParams): Promise<Bytes> {
  if (nativeScrypt) return nativeScrypt(password, salt, keyLength, params);
  return new Uint8Array(await scryptAsync(encoder.encode(password), salt, { N: params.N, r: params.r, p: params.p, dkLen: keyLength, maxmem: 256 * params.N * params.r + 2 ** 20 }));
}

function validParams(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return Number.isInteger(N) && Number.isInteger(r) && Number.isInteger(p) && N > 1 && (N & (N - 1)) === 0 && r >= 1 && p >= 1 && p <= MAX_P && 128 * N * r <= MAX_MEMORY_BYTES;
}

/**
 * NFKC, as NIST SP 800-63B asks: the same password typed on two keyboards (composed `é` or
 * `e` + combining accent) must give the same hash.
 */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

interface Parsed extends ScryptParams {
  salt: Bytes;
  hash: Bytes;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((part) => /^[0-9]{1,10}$/.test(part))) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!validParams(params)) return null;
  const saltBytes = base64urlDecode(salt);
  const hashBytes = base64urlDecode(hash);
  if (!saltBytes || !hashBytes || saltBytes.length < 8 || hashBytes.length < 16 || hashBytes.length > 128) return null;
  return { ...params, salt: saltBytes, hash: hashBytes };
}

/**
 * `scrypt$N$r$p$<salt>$<hash>` (base64url, no padding), with a fresh 16-byte salt. Store the
 * whole string; `verifyPassword` reads the parameters back from it.
 */
export async function hashPassword(password: string, params: Partial<ScryptParams> = {}): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('gatehouse: hashPassword() takes the password as a string');
  const normalized = normalize(password);
  if (byteLength(normalized) > MAX_PASSWORD_BYTES) {
    throw new RangeError(`gatehouse: passwords longer than ${MAX_PASSWORD_BYTES} bytes are refused`);
  }
  const chosen: ScryptParams = { ...DEFAULT_SCRYPT_PARAMS, ...params };
  if (!validParams(chosen)) {
    throw new TypeError('gatehouse: scrypt needs N a power of two above 1, r ≥ 1, 1 ≤ p ≤ 16, and 128·N·r within 1 GiB');
  }
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(normalized, salt, KEY_BYTES, chosen);
  return [PREFIX, chosen.N, chosen.r, chosen.p, base64urlEncode(salt), base64urlEncode(hash)].join('$');
}

/**
 * True only when `password` matches `stored`. A missing, malformed or unknown-format hash is
 * false, after the same work as a real check: a sign-in for a user with no password (or no
 * account) then takes as long as a wrong password, and reveals nothing. If you hash with other
 * parameters than the defaults, pass them as `params` so that this decoy work costs the same.
 */
export async function verifyPassword(password: string, stored: string | null | undefined, params: Partial<ScryptParams> = {}): Promise<boolean> {
  const parsed = typeof stored === 'string' ? parse(stored) : null;
  const usable = typeof password === 'string' && password.length <= MAX_PASSWORD_BYTES * 4 && byteLength(password) <= MAX_PASSWORD_BYTES * 4;
  const candidate = usable ? normalize(password) : '';
  if (!parsed || !usable || byteLength(candidate) > MAX_PASSWORD_BYTES) {
    const decoy: ScryptParams = { ...DEFAULT_SCRYPT_PARAMS, ...params };
    await derive(candidate.slice(0, MAX_PASSWORD_BYTES), new Uint8Array(SALT_BYTES), KEY_BYTES, validParams(decoy) ? decoy : DEFAULT_SCRYPT_PARAMS);
    return false;
  }
  const computed = await derive(candidate, parsed.salt, parsed.hash.length, parsed);
  return safeEqualBytes(computed, parsed.hash);
}

/**
 * True when `stored` was made with weaker parameters than `params` (default: the current
 * defaults), or is not a gatehouse scrypt hash: rehash the password after a successful check.
 */
export function needsRehash(stored: string, params: Partial<ScryptParams> = {}): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const target: ScryptParams = { ...DEFAULT_SCRYPT_PARAMS, ...params };
  return parsed.N < target.N || parsed.r < target.r || parsed.p < target.p || parsed.hash.length < KEY_BYTES;
}
