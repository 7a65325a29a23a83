// The credentials provider: sign in with fields you check yourself in `authorize()`.
import type { CredentialInput, CredentialsConfig } from '../types.js';

export type CredentialsOptions = Partial<Omit<CredentialsConfig, 'type'>> & Pick<CredentialsConfig, 'authorize'>;

/**
 * `Credentials({ credentials: { username: { label: 'Username' }, password: { type: 'password' } }, authorize })`.
 * `authorize(credentials, request)` returns a user (with an `id`) or null.
 */
export default function Credentials(options: CredentialsOptions): CredentialsConfig {
  const credentials: Record<string, CredentialInput> = options.credentials ?? {};
  return {
    id: 'credentials',
    name: 'Credentials',
    ...options,
    type: 'credentials',
    credentials,
    authorize: options.authorize,
    options,
  };
}
