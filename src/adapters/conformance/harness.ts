// What every capability suite of the adapter conformance run shares: the adapter under test, the options, fixtures and date helpers.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser } from '../types.js';

/** Raw reads of what the adapter wrote, bypassing the adapter (SQL queries, Redis GETs). */
export interface StorageProbe {
  /** The session rows of a user exactly as stored (the token column verbatim). */
  sessions(userId: string): Promise<Array<{ sessionToken: string; expires: Date }>>;
  /** The account rows of a user exactly as stored, columns by name. */
  accounts(userId: string): Promise<Array<Record<string, unknown>>>;
  /** The verification rows of an identifier as stored. */
  verificationTokens(identifier: string): Promise<Array<{ token: string; expires: Date }>>;
  /** The password hash of a user exactly as stored, or null (gatehouse adapters). */
  passwordHash?(userId: string): Promise<string | null>;
  /** Writes a session row as next-auth v4 does, token in clear: only for stores next-auth could have written. */
  insertLegacySession?(session: AdapterSession): Promise<void>;
}

/** A multi-step write caught half-way: `strike` once the write has started, `release` afterwards. */
export interface Interruption {
  /** Waits until the adapter is stuck at the last step, then breaks it (kills its connection). */
  strike(): Promise<void>;
  /** Undoes whatever made the write stick (a lock, a trigger). */
  release(): Promise<void>;
}

export interface InterruptHooks {
  /** Kills every server connection the adapter holds now (pg_terminate_backend, KILL, CLIENT KILL). */
  dropConnections?(): Promise<void>;
  /**
   * Arranges for `deleteUser(userId)` to fail at its last step, deleting the user row: a row lock
   * held elsewhere and then a killed connection on a server, a failing trigger on SQLite.
   */
  deleteUser?(userId: string): Promise<Interruption>;
}

/**
 * The capability suites an adapter can opt into. `users`, `accounts`, `sessions` and
 * `verification-tokens` are NextAuth's adapter methods; `rate-limits` is gatehouse's shared
 * store (`adapter.rateLimitStore()`); `leases` its shared lease store (`adapter.leaseStore()`); `passwords` the Password provider's hash store
 * (`getPassword`, `setPassword`, …); `session-index` the devices list and JWT revocation log
 * (`adapter.sessionStore()`); `two-factor` TOTP enrolments and backup codes (`adapter.twoFactorStore()`); `authenticators` passkeys (`adapter.authenticatorStore()`); `failures` needs `interrupt` hooks to do anything.
 */
export type ConformanceCapability = 'users' | 'accounts' | 'sessions' | 'verification-tokens' | 'rate-limits' | 'leases' | 'passwords' | 'session-index' | 'two-factor' | 'authenticators' | 'failures';

export interface ConformanceOptions {
  /** Shown as the suite name. */
  name: string;
  /** Called once before the tests: an adapter on a migrated, empty store. */
  adapter: () => Promise<Adapter>;
  /** Called once after the tests: close connections, drop the schema. */
  cleanup?: () => Promise<void>;
  /** A reason to skip the whole suite (a server that is not running). It is printed loudly. */
  skip?: string;
  /** Tests this adapter is known not to pass, by name, each with the reason (published adapters' quirks). */
  exclude?: Readonly<Record<string, string>>;
  /** The capability suites to run (default: all of them). */
  capabilities?: readonly ConformanceCapability[];
  storage?: StorageProbe;
  interrupt?: InterruptHooks;
}

/** The adapter as the suites call it: NextAuth's methods required, gatehouse's additions optional. */
export type Full = Required<Omit<Adapter, 'listSessions' | 'deleteSessionsExcept'>> & Pick<Adapter, 'listSessions' | 'deleteSessionsExcept'>;

/** What a capability suite is handed: the adapter (set once the run's `before` has made it) and shared fixtures. */
export interface SuiteHarness {
  readonly options: ConformanceOptions;
  /** The adapter under test; read it inside tests, not while registering them. */
  readonly adapter: Full;
  /** A short id of this run, so rows from concurrent runs on one store never collide. */
  readonly run: string;
  /** The next number of this run's counter. */
  next(): number;
  /** Registers a test, or its skip when `exclude` names it. */
  check(name: string, fn: (t: TestContext) => Promise<void>, guard?: { timeout: number }): void;
  unique(tag: string): string;
  email(tag: string): string;
  newUser(overrides?: Partial<AdapterUser>): Promise<AdapterUser>;
  newSession(user: AdapterUser, expires?: Date): Promise<string>;
  account(user: AdapterUser, overrides?: Partial<AdapterAccount>): AdapterAccount;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Millisecond dates: every store keeps at least that (MySQL DATETIME(3)). */
export function at(offset: number): Date {
  return new Date(Date.now() + offset);
}

export function sameInstant(actual: Date | string | undefined | null, expected: Date, message?: string): void {
  assert.ok(actual, message ?? 'a date was expected');
  assert.equal(new Date(actual).valueOf(), expected.valueOf(), message);
}

/** Settles a promise into its value or its error, for tests that accept either. */
export async function settle<T>(value: PromiseLike<T> | T): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await value };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Some stores hand back numeric ids (SERIAL columns in @auth/pg-adapter): compare as strings. */
export function idOf(user: { id: unknown }): string {
  return String(user.id);
}

/**
 * Not a performance bound: a call that never settles after a drop is the failure these tests
 * look for, and it should fail the run instead of hanging it.
 */
export const HANG_GUARD = { timeout: 60_000 };
