// The core's crypto on Web Crypto (crypto.subtle, getRandomValues) for Node, Bun, Deno and workerd alike:
// random tokens, SHA-256, HKDF, AES-256-GCM, base64url and constant-time comparison. On Node, the
// hot operations take the node:crypto fast path of native-crypto.ts (same inputs, same outputs).
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { native } from './native-crypto.js';

const webCrypto = globalThis.crypto;

/** Bytes over a plain ArrayBuffer, which is what Web Crypto accepts. */
export type Bytes = Uint8Array<ArrayBuffer>;
const encoder = new TextEncoder();

// One call into the CSPRNG per 128 tokens instead of one per token (GET csrf mints one on every
// request). Each byte is handed out once; the pool never leaves this module.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function take(bytes: number): number {
  if (bytes > POOL_SIZE) throw new RangeError('randomToken: at most 4096 bytes');
  if (poolOffset + bytes > POOL_SIZE) {
    webCrypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return start;
}

/** `bytes` fresh random bytes (a copy, safe to keep). */
export function randomBytes(bytes: number): Bytes {
  const start = take(bytes);
  return pool.slice(start, start + bytes);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX[bytes[i]!]!;
  return out;
}

/** 32 random bytes as 64 lowercase hex characters: 256 bits, beyond guessing. */
export function randomToken(bytes = 32): string {
  const start = take(bytes);
  return toHex(pool, start, start + bytes);
}

/** A random RFC 9562 version 4 UUID (v4's `jti`). */
export function randomUUID(): string {
  return webCrypto.randomUUID();
}

/**
 * SHA-256 of the UTF-8 input, as hex. Synchronous, because the callers are: the CSRF double-submit
 * check, the stored form of session tokens and rate-limit bucket keys are computed inside
 * synchronous code that routes and adapters share. Web Crypto's digest is asynchronous only, so
 * away from Node this is @noble/hashes (audited, pure JS); on Node, node:crypto (bench: a digest
 * through crypto.subtle costs ~25 µs there against ~1 µs, on a path every GET csrf takes).
 */
export function sha256Hex(input: string): string {
  if (native) return native.sha256Hex(input);
  return toHex(sha256(encoder.encode(input)));
}

/** HMAC-SHA256 (RFC 2104) of UTF-8 strings, as hex; synchronous for the same reason as sha256Hex. */
export function hmacSha256Hex(key: string, input: string): string {
  if (native) return native.hmacSha256Hex(key, input);
  return toHex(hmac(sha256, encoder.encode(key), encoder.encode(input)));
}

/**
 * Compares two strings without leaking where they first differ. Unequal lengths return false
 * at once: for the fixed-length hex values compared here the length is no secret.
 */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** As safeEqual, for bytes of equal length (a derived hash against the stored one). */
export function safeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** RFC 5869 HKDF with SHA-256 over UTF-8 strings, `length` bytes. */
export async function hkdfSha256(secret: string, salt: string, info: string, length: number): Promise<Bytes> {
  const material = await webCrypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = await webCrypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(salt), info: encoder.encode(info) }, material, length * 8);
  return new Uint8Array(bits);
}

/** HKDF-SHA256 as next-auth v4 derives its JWE keys: info names the purpose, salt the cookie. */
export function deriveEncryptionKey(secret: string, salt: string): Promise<Bytes> {
  return hkdfSha256(secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`, 32);
}

/** An AES-256-GCM key, imported once: the Web Crypto key, and the fast path's key object on Node. */
export interface AesGcmKey {
  readonly web: CryptoKey;
  readonly native: object | undefined;
}

export async function importAesGcmKey(raw: Bytes): Promise<AesGcmKey> {
  const web = await webCrypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { web, native: native?.aesKey(raw) };
}

const TAG_BYTES = 16; // RFC 7518 §5.3: a 128-bit authentication tag

/** AES-256-GCM: the ciphertext and the 16-byte tag. */
export async function aesGcmSeal(key: AesGcmKey, iv: Bytes, plaintext: Bytes, aad: Bytes): Promise<{ ciphertext: Bytes; tag: Bytes }> {
  const sealed =
    native && key.native ? native.aesGcmSeal(key.native, iv, plaintext, aad) : new Uint8Array(await webCrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: TAG_BYTES * 8 }, key.web, plaintext));
  return { ciphertext: sealed.subarray(0, sealed.length - TAG_BYTES), tag: sealed.subarray(sealed.length - TAG_BYTES) };
}

/** The plaintext, or null when the key is wrong or anything was tampered with. */
export async function aesGcmOpen(key: AesGcmKey, iv: Bytes, ciphertext: Bytes, tag: Bytes, aad: Bytes): Promise<Bytes | null> {
  if (tag.length !== TAG_BYTES) return null;
  if (native && key.native) return native.aesGcmOpen(key.native, iv, ciphertext, tag, aad);
  const sealed = new Uint8Array(ciphertext.length + TAG_BYTES);
  sealed.set(ciphertext);
  sealed.set(tag, ciphertext.length);
  try {
    return new Uint8Array(await webCrypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: TAG_BYTES * 8 }, key.web, sealed));
  } catch {
    return null;
  }
}

/**
 * An A256CBC-HS512 key (RFC 7518 §5.2.5): the 64 derived bytes split into the HMAC-SHA-512 key
 * (first half) and the AES-256-CBC key (second half), as §5.2.2.1 orders them. Only next-auth v5
 * writes this format; gatehouse opens it (to carry v5 sessions over) and never seals it.
 */
export interface AesCbcHmacKey {
  readonly mac: CryptoKey;
  readonly enc: CryptoKey;
}

export async function importAesCbcHmacKey(raw: Bytes): Promise<AesCbcHmacKey> {
  if (raw.length !== 64) throw new RangeError('A256CBC-HS512 takes a 64-byte key');
  const mac = await webCrypto.subtle.importKey('raw', raw.slice(0, 32), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  const enc = await webCrypto.subtle.importKey('raw', raw.slice(32), 'AES-CBC', false, ['decrypt']);
  return { mac, enc };
}

/**
 * RFC 7518 §5.2.2.2: the tag (the first 32 bytes of HMAC-SHA-512 over AAD ‖ IV ‖ ciphertext ‖ AL,
 * AL being the AAD's length in bits as 64-bit big-endian) is checked in constant time before any
 * decryption, so a padding oracle never sees a forged ciphertext. Null when anything is wrong.
 */
export async function aesCbcHmacOpen(key: AesCbcHmacKey, iv: Bytes, ciphertext: Bytes, tag: Bytes, aad: Bytes): Promise<Bytes | null> {
  if (iv.length !== 16 || tag.length !== 32 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
  const macInput = new Uint8Array(aad.length + iv.length + ciphertext.length + 8);
  macInput.set(aad);
  macInput.set(iv, aad.length);
  macInput.set(ciphertext, aad.length + iv.length);
  new DataView(macInput.buffer).setBigUint64(macInput.length - 8, BigInt(aad.length) * 8n);
  const mac = new Uint8Array(await webCrypto.subtle.sign('HMAC', key.mac, macInput));
  if (!safeEqualBytes(mac.subarray(0, 32), tag)) return null;
  try {
    return new Uint8Array(await webCrypto.subtle.decrypt({ name: 'AES-CBC', iv }, key.enc, ciphertext));
  } catch {
    return null;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * RFC 4648 §4/§5 by table, three bytes to four characters: a JWE is encoded on every sign-in, and
 * btoa over a binary string costs ten times more (measured: ~20 µs for 300 bytes, against ~1 µs).
 */
function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const n = bytes[whole]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

/** RFC 4648 §4 base64 with padding (Basic authentication, data: URLs). */
export function base64Encode(bytes: Uint8Array): string {
  return encode(bytes, BASE64, true);
}

/** RFC 4648 §5 base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, BASE64URL_ALPHABET, false);
}

const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[BASE64URL_ALPHABET.charCodeAt(i)] = i;

/** The bytes of unpadded base64url, or null for anything else (padding, other alphabets, a bad length). */
export function base64urlDecode(text: string): Bytes | null {
  const length = text.length;
  if (length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((length * 3) / 4));
  let at = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE[code]! : -1;
    if (value < 0) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >> bits) & 255;
    }
  }
  return bytes;
}
