// The node:crypto fast path, the one place the core may use it: where the bench showed Web Crypto's
// asynchronous round trip costs on Node (bench/README.md, "Web Crypto and the fast path"). The same
// vectors test it and the Web Crypto code (test/core/crypto.test.ts).
//
// Reached through `process.getBuiltinModule` (Node ≥ 20.16), not an import: a bundle for Workers or
// the browser carries no `node:` specifier, and where the function is absent the core runs on Web
// Crypto alone. Only Node takes the hashing and AES path: Bun and Deno answer Web Crypto natively,
// and the runtime suites then run the Web Crypto code. GATEHOUSE_WEB_CRYPTO=1 turns it off on Node
// (the bench's comparison, and a way to run the test suite on the Web Crypto code under Node; it also
// turns off native scrypt, so the JavaScript one is tested on the same vectors).

/** Node's Buffers are Uint8Arrays over a plain ArrayBuffer. */
type Bytes = Uint8Array<ArrayBuffer>;

/** The slice of node:crypto used here, typed structurally so the core needs no Node types. */
interface NodeCryptoModule {
  createHash(algorithm: 'sha256'): { update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
  createHmac(algorithm: 'sha256', key: string): { update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
  createSecretKey(key: Bytes): object;
  createCipheriv(algorithm: 'aes-256-gcm', key: object, iv: Bytes): NodeCipher;
  createDecipheriv(algorithm: 'aes-256-gcm', key: object, iv: Bytes, options: { authTagLength: number }): NodeDecipher;
  scrypt(password: string, salt: Bytes, keyLength: number, options: { N: number; r: number; p: number; maxmem: number }, done: (error: Error | null, key: Bytes) => void): void;
}
interface NodeCipher {
  setAAD(aad: Bytes): void;
  update(data: Bytes): Bytes;
  final(): Bytes;
  getAuthTag(): Bytes;
}
interface NodeDecipher {
  setAAD(aad: Bytes): void;
  setAuthTag(tag: Bytes): void;
  update(data: Bytes): Bytes;
  final(): Bytes;
}

/** What the fast path offers; each answers exactly what its Web Crypto counterpart in crypto.ts does. */
export interface NativeCrypto {
  sha256Hex(input: string): string;
  hmacSha256Hex(key: string, input: string): string;
  /** An AES-256-GCM key object made once per derived key. */
  aesKey(raw: Bytes): object;
  /** Ciphertext followed by the 16-byte tag, as Web Crypto's encrypt returns it. */
  aesGcmSeal(key: object, iv: Bytes, plaintext: Bytes, aad: Bytes): Bytes;
  /** The plaintext, or null when the tag does not verify. */
  aesGcmOpen(key: object, iv: Bytes, ciphertext: Bytes, tag: Bytes, aad: Bytes): Bytes | null;
  scrypt(password: string, salt: Bytes, keyLength: number, params: { N: number; r: number; p: number }): Promise<Bytes>;
}

/** A plain Uint8Array view of a Buffer (no copy), so both paths hand back the same type. */
const plain = (bytes: Bytes): Bytes => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);

function concat(a: Uint8Array, b: Uint8Array): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function nodeCrypto(crypto: NodeCryptoModule): NativeCrypto {
  return {
    sha256Hex: (input) => crypto.createHash('sha256').update(input, 'utf8').digest('hex'),
    hmacSha256Hex: (key, input) => crypto.createHmac('sha256', key).update(input, 'utf8').digest('hex'),
    aesKey: (raw) => crypto.createSecretKey(raw),
    aesGcmSeal(key, iv, plaintext, aad) {
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      return concat(tail.length ? concat(head, tail) : head, cipher.getAuthTag());
    },
    aesGcmOpen(key, iv, ciphertext, tag, aad) {
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        const head = decipher.update(ciphertext);
        const tail = decipher.final();
        return tail.length ? concat(head, tail) : plain(head);
      } catch {
        return null;
      }
    },
    scrypt: (password, salt, keyLength, { N, r, p }) =>
      new Promise((resolve, reject) => {
        // maxmem: Node refuses above 32 MiB by default; the callers bound N·r themselves.
        crypto.scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 2 ** 20 }, (error, key) => (error ? reject(error) : resolve(plain(key))));
      }),
  };
}

interface ProcessLike {
  versions?: { node?: string; bun?: string; deno?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

function builtin(process: ProcessLike | undefined): NodeCryptoModule | undefined {
  try {
    return process?.getBuiltinModule?.('node:crypto') as NodeCryptoModule | undefined;
  } catch {
    // Next's Edge runtime has a `process` that throws on every Node API it lacks.
    return undefined;
  }
}

const runtime = (globalThis as { process?: ProcessLike }).process;
const webCryptoOnly = (() => {
  try {
    return runtime?.env?.GATEHOUSE_WEB_CRYPTO === '1';
  } catch {
    return false;
  }
})();

function isNode(): boolean {
  try {
    return Boolean(runtime?.versions?.node) && !runtime?.versions?.bun && !runtime?.versions?.deno && !('Deno' in globalThis);
  } catch {
    return false;
  }
}

function load(): NativeCrypto | undefined {
  if (!isNode() || webCryptoOnly) return undefined;
  const crypto = builtin(runtime);
  return crypto ? nodeCrypto(crypto) : undefined;
}

/** The fast path on this runtime, or undefined (then Web Crypto does everything). */
export const native: NativeCrypto | undefined = load();

/**
 * scrypt wherever a runtime has node:crypto (Node, Bun, Deno, Workers with nodejs_compat): Web
 * Crypto has no scrypt, and a native one is several times faster than JavaScript at the same cost.
 */
export const nativeScrypt: NativeCrypto['scrypt'] | undefined = (() => {
  const crypto = webCryptoOnly ? undefined : builtin(runtime);
  return crypto ? nodeCrypto(crypto).scrypt : undefined;
})();
