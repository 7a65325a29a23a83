// The passkey the SQL adapters' raw-row tests store: the largest 32-bit counter, two transports, a millisecond time.
import type { AuthenticatorRecord } from '../../src/adapters/types.js';

export function rawPasskey(credentialID: string): AuthenticatorRecord {
  return {
    credentialID,
    userId: 'user-raw',
    publicKey: 'pQECAyYgASFYIA',
    counter: 2 ** 32 - 1,
    transports: ['internal', 'hybrid'],
    backedUp: true,
    deviceType: 'multiDevice',
    name: null,
    createdAt: new Date(1_767_000_000_123),
    lastUsedAt: null,
  };
}
