// A small credentials configuration the core tests share.
import Credentials from '../../src/providers/credentials.js';
import type { AuthConfig } from '../../src/types.js';
import { SECRET } from './server.js';

export const USER = { id: 'u1', name: 'Ann', email: 'ann@example.com', image: null };

export function credentialsConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    secret: SECRET,
    providers: [
      Credentials({
        name: 'Password',
        credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials) => (credentials.username === 'ann' && credentials.password === 'pw' ? USER : null),
      }),
    ],
    ...overrides,
  };
}
