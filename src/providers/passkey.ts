// The Passkey provider: WebAuthn credentials (discoverable, user-verified) as a first factor that counts as two, registered while signed in or at sign-up.
import type { PasskeyConfig } from '../types.js';

export type PasskeyOptions = Partial<Omit<PasskeyConfig, 'type' | 'options'>>;

/**
 * `Passkey({ rpName: 'Acme' })`. Serves GET `webauthn-options/<id>?action=authenticate|register`,
 * POST `callback/<id>`, the `passkeys` management routes and, beside a Password provider that allows
 * sign-up, POST `signup/<id>` (passkey sign-up by mailed link); the browser side is
 * `gatehouse-auth/webauthn`. Needs an adapter with `authenticatorStore()` (every gatehouse adapter)
 * and `@simplewebauthn/server` 14 installed.
 */
export default function Passkey(options: PasskeyOptions = {}): PasskeyConfig {
  return {
    id: 'passkey',
    name: 'Passkey',
    ...options,
    type: 'webauthn',
    options,
  };
}
