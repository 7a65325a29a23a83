// Validates a Passkey provider once: its authenticator store, the lease store its challenges live in, and its WebAuthn options.
import type { Adapter, AuthenticatorStore, LeaseStore } from '../adapters/types.js';
import type { UserStore } from '../adapters/stores.js';
import { bounded } from '../adapters/bounded.js';
import { memoryLeaseStore } from '../core/memory-lease.js';
import type { PasskeyConfig } from '../types.js';

export interface PasskeySettings {
  readonly authenticators: AuthenticatorStore;
  /** Where challenges wait for their answer (single use, 5 minutes): the adapter's lease store, else this process's. */
  readonly challenges: LeaseStore;
  /** Finds the user an assertion names (the credential's owner), for the session. */
  readonly users: UserStore;
  readonly rpName: string | undefined;
  readonly rpID: string | undefined;
  readonly timeout: number;
  readonly userVerification: 'required' | 'preferred';
}

const METHODS = ['createAuthenticator', 'getAuthenticator', 'listAuthenticators', 'useAuthenticator', 'renameAuthenticator', 'deleteAuthenticator'] as const;

function fail(path: string, problem: string, fix: string): never {
  throw new TypeError(`gatehouse: \`${path}\` ${problem}. ${fix}`);
}

export function resolvePasskey(id: string, config: PasskeyConfig, adapter: Adapter | undefined, users: UserStore | undefined, storeTimeout: number): PasskeySettings {
  const where = `providers (${id})`;
  const factory = (adapter as { authenticatorStore?: unknown } | undefined)?.authenticatorStore;
  if (!adapter || typeof factory !== 'function') {
    fail(
      'adapter.authenticatorStore',
      `is required by the passkey provider "${id}"`,
      'Passkeys are stored: use a built-in adapter (gatehouse-auth/adapters/sqlite, postgres, mysql, redis or memory) and run its migrate().',
    );
  }
  const authenticators = factory.call(adapter) as AuthenticatorStore;
  for (const method of METHODS) {
    if (typeof (authenticators as unknown as Record<string, unknown>)?.[method] !== 'function') fail(`adapter.authenticatorStore().${method}`, 'is missing', "Use a gatehouse adapter's `authenticatorStore()`.");
  }
  if (!users) fail('adapter.getUser', `is required by the passkey provider "${id}"`, 'A passkey signs in the stored user it belongs to: the adapter needs getUser.');
  const timeout = config.timeout ?? 5 * 60 * 1000;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 10_000 || timeout > 10 * 60 * 1000) fail(`${where}.timeout`, 'is out of bounds', 'Use milliseconds from 10000 to 600000 (default 300000).');
  const userVerification = config.userVerification ?? 'required';
  if (userVerification !== 'required' && userVerification !== 'preferred') fail(`${where}.userVerification`, `is ${JSON.stringify(userVerification)}`, 'Use "required" (the default) or "preferred".');
  if (config.rpID !== undefined && (typeof config.rpID !== 'string' || !/^[a-z0-9.-]+$/i.test(config.rpID)))
    fail(`${where}.rpID`, 'is not a host name', 'Use the bare host (example.com), or leave it out to take the configured URL’s.');
  if (config.rpName !== undefined && (typeof config.rpName !== 'string' || config.rpName === '')) fail(`${where}.rpName`, 'is not a name', 'Use a short name, e.g. "Acme".');
  const leases = (adapter as { leaseStore?: unknown }).leaseStore;
  return Object.freeze({
    // The factories answer synchronously, so the adapter's bounded Proxy hands their stores back
    // unbounded: bound them here, or a hung database would hang a passkey step instead of answering 503.
    authenticators: bounded(authenticators, storeTimeout, 'authenticatorStore'),
    challenges: typeof leases === 'function' ? bounded(leases.call(adapter) as LeaseStore, storeTimeout, 'leaseStore') : memoryLeaseStore(),
    users,
    rpName: config.rpName,
    rpID: config.rpID?.toLowerCase(),
    timeout,
    userVerification,
  });
}
