// A software WebAuthn authenticator for server-level tests: real P-256 keys, real authenticator data and signatures (WebAuthn §6.1, §6.5, "none" attestation §8.7), so @simplewebauthn/server verifies them as it would a browser's.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const u32 = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
};

interface Credential {
  id: Uint8Array;
  privateKey: KeyObject;
  counter: number;
  userHandle: string;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  /** When false the signature counter stays where it is (a clone, or a replayed assertion). */
  countUp = true;
  constructor(
    readonly origin: string,
    readonly rpID: string,
  ) {}

  /** navigator.credentials.create() for these creation options (JSON as the options route answers). */
  register(options: { challenge: string; user: { id: string } }): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]);
    const id = new Uint8Array(randomBytes(16));
    const idLength = new Uint8Array([0, id.length]);
    // Flags: UP (0x01), UV (0x04), AT (0x40); counter 0; attested credential data with a zero AAGUID.
    const authData = concat(sha256(this.rpID), new Uint8Array([0x45]), u32(0), new Uint8Array(16), idLength, id, isoCBOR.encode(cose));
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false });
    this.credentials.push({ id, privateKey, counter: 0, userHandle: options.user.id });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: { clientDataJSON: b64url(Buffer.from(clientDataJSON)), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() with a discoverable credential (the newest, or `which`). */
  authenticate(options: { challenge: string }, which = this.credentials.length - 1, origin = this.origin): Record<string, unknown> {
    const credential = this.credentials[which]!;
    if (this.countUp) credential.counter += 1;
    const authData = concat(sha256(this.rpID), new Uint8Array([0x05]), u32(credential.counter));
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signature = sign('sha256', concat(authData, sha256(clientDataJSON)), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
