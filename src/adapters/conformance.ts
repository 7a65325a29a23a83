// gatehouse-auth/adapters/conformance: the one behaviour suite every adapter runs (node:test), against its real database.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { RateLimitStore } from '../core/rate-limit.js';
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser } from './types.js';

/** Raw reads of what the adapter wrote, bypassing the adapter (SQL queries, Redis GETs). */
export interface StorageProbe {
  /** The session rows of a user exactly as stored (the token column verbatim). */
  sessions(userId: string): Promise<Array<{ sessionToken: string; expires: Date }>>;
  /** The account rows of a user exactly as stored, columns by name. */
  accounts(userId: string): Promise<Array<Record<string, unknown>>>;
  /** The verification rows of an identifier as stored. */
  verificationTokens(identifier: string): Promise<Array<{ token: string; expires: Date }>>;
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
  storage?: StorageProbe;
  interrupt?: InterruptHooks;
}

/** Prints a banner that a skipped database suite cannot be missed in a long test log. */
export function warnSkipped(name: string, reason: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! SKIPPED: ${name}\n!! ${reason}\n${line}\n`);
}

type Full = Required<Omit<Adapter, 'listSessions' | 'deleteSessionsExcept'>> & Pick<Adapter, 'listSessions' | 'deleteSessionsExcept'>;

const METHODS = [
  'createUser',
  'getUser',
  'getUserByEmail',
  'getUserByAccount',
  'updateUser',
  'deleteUser',
  'linkAccount',
  'unlinkAccount',
  'createSession',
  'getSessionAndUser',
  'updateSession',
  'deleteSession',
  'createVerificationToken',
  'useVerificationToken',
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Millisecond dates: every store keeps at least that (MySQL DATETIME(3)). */
function at(offset: number): Date {
  return new Date(Date.now() + offset);
}

function sameInstant(actual: Date | string | undefined | null, expected: Date, message?: string): void {
  assert.ok(actual, message ?? 'a date was expected');
  assert.equal(new Date(actual).valueOf(), expected.valueOf(), message);
}

/** Settles a promise into its value or its error, for tests that accept either. */
async function settle<T>(value: PromiseLike<T> | T): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await value };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Some stores hand back numeric ids (SERIAL columns in @auth/pg-adapter): compare as strings. */
function idOf(user: { id: unknown }): string {
  return String(user.id);
}

/**
 * Registers the suite with node:test. The adapter is created once (`before`); every test makes
 * its own users, emails and tokens, so the tests share a store without sharing rows.
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  if (options.skip !== undefined) {
    warnSkipped(options.name, options.skip);
    describe(options.name, { skip: options.skip }, () => undefined);
    return;
  }
  const exclude = new Map(Object.entries(options.exclude ?? {}));
  const registered = new Set<string>();
  let adapter!: Full;
  const run = crypto.randomUUID().slice(0, 8);
  let counter = 0;
  // Not a performance bound: a call that never settles after a drop is the failure these tests
  // look for, and it should fail the run instead of hanging it.
  const HANG_GUARD = { timeout: 60_000 };
  const unique = (tag: string) => `${tag}-${run}-${++counter}`;
  const email = (tag: string) => `${unique(tag)}@example.com`;

  function check(name: string, fn: (t: TestContext) => Promise<void>, guard?: { timeout: number }): void {
    registered.add(name);
    const reason = exclude.get(name);
    if (reason !== undefined) test(name, { skip: `excluded: ${reason}` }, () => undefined);
    else test(name, guard ?? {}, fn);
  }

  async function newUser(overrides: Partial<AdapterUser> = {}): Promise<AdapterUser> {
    return adapter.createUser({ email: email('user'), emailVerified: null, name: 'Test User', image: null, ...overrides });
  }

  async function newSession(user: AdapterUser, expires = at(DAY)): Promise<string> {
    const sessionToken = `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '');
    await adapter.createSession({ sessionToken, userId: idOf(user), expires });
    return sessionToken;
  }

  function account(user: AdapterUser, overrides: Partial<AdapterAccount> = {}): AdapterAccount {
    return {
      userId: idOf(user),
      type: 'oauth',
      provider: 'github',
      providerAccountId: unique('gh'),
      access_token: `gho_${unique('access')}`,
      refresh_token: `ghr_${unique('refresh')}`,
      // A real ID token runs to kilobytes: longer than any VARCHAR(255).
      id_token: `eyJ${'x'.repeat(3000)}`,
      expires_at: 1_900_000_000,
      token_type: 'bearer',
      scope: 'read:user user:email',
      session_state: 'state-1',
      ...overrides,
    };
  }

  describe(options.name, () => {
    before(async () => {
      adapter = (await options.adapter()) as Full;
    });
    after(async () => {
      await options.cleanup?.();
    });

    check('has every NextAuth adapter method', async () => {
      for (const method of METHODS) assert.equal(typeof adapter[method], 'function', `missing ${method}`);
    });

    describe('users', () => {
      check('createUser returns the user with an id, and getUser reads it back', async () => {
        const verified = at(-MINUTE);
        const input = { email: email('ann'), emailVerified: verified, name: 'Ann', image: 'https://example.com/ann.png' };
        const created = await adapter.createUser(input);
        assert.ok(idOf(created).length > 0);
        assert.equal(created.email, input.email);
        sameInstant(created.emailVerified, verified);
        const read = await adapter.getUser(idOf(created));
        assert.ok(read, 'getUser found nothing');
        assert.equal(idOf(read), idOf(created));
        assert.equal(read.name, 'Ann');
        assert.equal(read.email, input.email);
        assert.equal(read.image, input.image);
        sameInstant(read.emailVerified, verified);
      });

      check('createUser keeps absent name, image and emailVerified as null', async () => {
        const created = await adapter.createUser({ email: email('bare'), emailVerified: null });
        const read = await adapter.getUser(idOf(created));
        assert.ok(read);
        assert.equal(read.emailVerified, null);
        assert.equal(read.name ?? null, null);
        assert.equal(read.image ?? null, null);
      });

      check('getUser of an unknown or malformed id is null', async () => {
        for (const id of [crypto.randomUUID(), '999999999', '99999999999999999999999', 'not-a-number', "1' OR '1'='1", '1abc']) {
          assert.equal(await adapter.getUser(id), null, `getUser(${JSON.stringify(id)})`);
        }
      });

      check('getUserByEmail finds the user; an unknown email is null', async () => {
        const created = await newUser();
        const found = await adapter.getUserByEmail(created.email);
        assert.ok(found);
        assert.equal(idOf(found), idOf(created));
        assert.equal(await adapter.getUserByEmail(email('nobody')), null);
      });

      check('a duplicate email is refused with a clear error, and the first user is intact', async () => {
        const first = await newUser({ name: 'First' });
        const attempt = await settle(adapter.createUser({ email: first.email, emailVerified: null, name: 'Second' }));
        assert.equal(attempt.ok, false, 'a second user with the same email was created');
        if (!attempt.ok) assert.match(String((attempt.error as Error).message), /email/i);
        const found = await adapter.getUserByEmail(first.email);
        assert.ok(found);
        assert.equal(idOf(found), idOf(first));
        assert.equal(found.name, 'First');
      });

      check('concurrent createUser with one email: exactly one succeeds', async () => {
        const shared = email('race');
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, i) => settle(adapter.createUser({ email: shared, emailVerified: null, name: `Racer ${i}` }))),
        );
        const winners = outcomes.filter((outcome) => outcome.ok);
        assert.equal(winners.length, 1, `${winners.length} users were created for one email`);
        const found = await adapter.getUserByEmail(shared);
        assert.ok(found && winners[0]?.ok);
        assert.equal(idOf(found), idOf(winners[0].value));
      });

      check('emails differing only by case or accent are different users', async () => {
        const base = unique('zoe');
        const variants = [`${base}@example.com`, `${base.toUpperCase()}@example.com`, `${base.replace('zoe', 'zoë')}@example.com`];
        const users = [];
        for (const variant of variants) users.push(await adapter.createUser({ email: variant, emailVerified: null }));
        for (const [index, variant] of variants.entries()) {
          const found = await adapter.getUserByEmail(variant);
          assert.ok(found, `no user for ${variant}`);
          assert.equal(idOf(found), idOf(users[index] as AdapterUser), `${variant} found another user`);
        }
      });

      check('unicode names, emails and image URLs round-trip', async () => {
        const name = '🦊 Zoë Ångström 李小龍 مرحبا';
        const address = `${unique('zoë.ångström+李')}@exämple.org`;
        const image = 'https://example.org/avatars/zoë 🦊.png';
        const created = await adapter.createUser({ email: address, emailVerified: null, name, image });
        const byId = await adapter.getUser(idOf(created));
        const byEmail = await adapter.getUserByEmail(address);
        for (const read of [byId, byEmail]) {
          assert.ok(read);
          assert.equal(read.name, name);
          assert.equal(read.email, address);
          assert.equal(read.image, image);
        }
      });

      check('updateUser writes only the fields given and returns the updated user', async () => {
        const created = await newUser({ name: 'Before', image: 'https://example.com/a.png' });
        const verified = at(0);
        const updated = await adapter.updateUser({ id: idOf(created), emailVerified: verified });
        assert.ok(updated);
        sameInstant(updated.emailVerified, verified);
        assert.equal(updated.name, 'Before');
        await adapter.updateUser({ id: idOf(created), name: 'After' });
        const read = await adapter.getUser(idOf(created));
        assert.ok(read);
        assert.equal(read.name, 'After');
        assert.equal(read.image, 'https://example.com/a.png');
        assert.equal(read.email, created.email);
        sameInstant(read.emailVerified, verified);
      });

      check('updateUser to an email another user has is refused; both users are intact', async () => {
        const ann = await newUser({ name: 'Ann' });
        const bob = await newUser({ name: 'Bob' });
        const attempt = await settle(adapter.updateUser({ id: idOf(bob), email: ann.email }));
        assert.equal(attempt.ok, false, 'two users now share an email');
        assert.equal(idOf((await adapter.getUserByEmail(ann.email)) as AdapterUser), idOf(ann));
        const bobNow = await adapter.getUser(idOf(bob));
        assert.equal(bobNow?.email, bob.email);
        const moved = email('moved');
        await adapter.updateUser({ id: idOf(bob), email: moved });
        assert.equal(idOf((await adapter.getUserByEmail(moved)) as AdapterUser), idOf(bob));
        assert.equal(await adapter.getUserByEmail(bob.email), null, 'the old email still finds the user');
      });

      check('updateUser of an unknown id is refused', async () => {
        const attempt = await settle(adapter.updateUser({ id: crypto.randomUUID(), name: 'Ghost' }));
        assert.equal(attempt.ok, false);
      });

      check('deleteUser removes the user, their sessions and accounts, and nothing of other users', async (t) => {
        const doomed = await newUser();
        const other = await newUser();
        const doomedAccount = account(doomed);
        const otherAccount = account(other);
        await adapter.linkAccount(doomedAccount);
        await adapter.linkAccount(otherAccount);
        const doomedSessions = [await newSession(doomed), await newSession(doomed)];
        const otherSession = await newSession(other);

        await adapter.deleteUser(idOf(doomed));

        assert.equal(await adapter.getUser(idOf(doomed)), null);
        assert.equal(await adapter.getUserByEmail(doomed.email), null);
        assert.equal(await adapter.getUserByAccount(doomedAccount), null);
        for (const token of doomedSessions) assert.equal(await adapter.getSessionAndUser(token), null);
        if (options.storage) {
          assert.deepEqual(await options.storage.sessions(idOf(doomed)), [], 'session rows remain');
          assert.deepEqual(await options.storage.accounts(idOf(doomed)), [], 'account rows remain');
        } else {
          t.diagnostic('no storage probe: rows checked through the adapter only');
        }
        assert.equal(idOf((await adapter.getUser(idOf(other))) as AdapterUser), idOf(other));
        assert.equal(idOf((await adapter.getUserByAccount(otherAccount)) as AdapterUser), idOf(other));
        assert.ok(await adapter.getSessionAndUser(otherSession));
        // The email is free again.
        await adapter.createUser({ email: doomed.email, emailVerified: null });
      });

      check('deleteUser of an unknown id resolves', async () => {
        await adapter.deleteUser(crypto.randomUUID());
      });
    });

    describe('accounts', () => {
      check('linkAccount stores every token field, and getUserByAccount finds the user', async () => {
        const user = await newUser();
        const linked = account(user);
        await adapter.linkAccount(linked);
        const found = await adapter.getUserByAccount({ provider: linked.provider, providerAccountId: linked.providerAccountId });
        assert.ok(found);
        assert.equal(idOf(found), idOf(user));
        if (options.storage) {
          const rows = await options.storage.accounts(idOf(user));
          assert.equal(rows.length, 1);
          const row = rows[0] as Record<string, unknown>;
          for (const field of ['type', 'provider', 'providerAccountId', 'access_token', 'refresh_token', 'id_token', 'token_type', 'scope', 'session_state'] as const) {
            assert.equal(row[field], linked[field], `stored ${field}`);
          }
          assert.equal(Number(row.expires_at), linked.expires_at);
          assert.equal(String(row.userId), idOf(user));
        }
      });

      check('a user may link several accounts; the same id on another provider is another account', async () => {
        const ann = await newUser();
        const bob = await newUser();
        const sharedId = unique('12345');
        await adapter.linkAccount(account(ann, { provider: 'github', providerAccountId: sharedId }));
        await adapter.linkAccount(account(ann, { provider: 'google', type: 'oidc', providerAccountId: unique('g') }));
        await adapter.linkAccount(account(bob, { provider: 'gitlab', providerAccountId: sharedId }));
        assert.equal(idOf((await adapter.getUserByAccount({ provider: 'github', providerAccountId: sharedId })) as AdapterUser), idOf(ann));
        assert.equal(idOf((await adapter.getUserByAccount({ provider: 'gitlab', providerAccountId: sharedId })) as AdapterUser), idOf(bob));
      });

      check('a duplicate account is refused with a clear error and stays with its first user', async () => {
        const ann = await newUser();
        const bob = await newUser();
        const first = account(ann);
        await adapter.linkAccount(first);
        for (const owner of [bob, ann]) {
          const attempt = await settle(adapter.linkAccount(account(owner, { providerAccountId: first.providerAccountId })));
          assert.equal(attempt.ok, false, 'the account was linked twice');
          if (!attempt.ok) assert.match(String((attempt.error as Error).message), /account/i);
        }
        assert.equal(idOf((await adapter.getUserByAccount(first)) as AdapterUser), idOf(ann));
        if (options.storage) {
          const rows = await options.storage.accounts(idOf(ann));
          assert.equal(rows.length, 1);
          assert.equal(rows[0]?.access_token, first.access_token, 'the first account was overwritten');
        }
      });

      check('getUserByAccount of an unknown account is null', async () => {
        assert.equal(await adapter.getUserByAccount({ provider: 'github', providerAccountId: unique('nobody') }), null);
      });

      check('unlinkAccount removes only that account; an unknown account resolves', async () => {
        const user = await newUser();
        const kept = account(user, { provider: 'google' });
        const removed = account(user);
        await adapter.linkAccount(kept);
        await adapter.linkAccount(removed);
        await adapter.unlinkAccount({ provider: removed.provider, providerAccountId: removed.providerAccountId });
        assert.equal(await adapter.getUserByAccount(removed), null);
        assert.equal(idOf((await adapter.getUserByAccount(kept)) as AdapterUser), idOf(user));
        assert.ok(await adapter.getUser(idOf(user)), 'unlinking removed the user');
        await adapter.unlinkAccount({ provider: 'github', providerAccountId: unique('nobody') });
      });
    });

    describe('sessions', () => {
      check('createSession returns the token given, and getSessionAndUser reads it back with its user', async () => {
        const user = await newUser({ name: 'Sess' });
        const expires = at(DAY);
        const sessionToken = crypto.randomUUID();
        const created = await adapter.createSession({ sessionToken, userId: idOf(user), expires });
        assert.equal(created.sessionToken, sessionToken);
        sameInstant(created.expires, expires);
        const found = await adapter.getSessionAndUser(sessionToken);
        assert.ok(found);
        assert.equal(found.session.sessionToken, sessionToken);
        assert.equal(String(found.session.userId), idOf(user));
        sameInstant(found.session.expires, expires);
        assert.equal(idOf(found.user), idOf(user));
        assert.equal(found.user.name, 'Sess');
      });

      check('session tokens are stored hashed, never as given', async (t) => {
        const user = await newUser();
        const token = await newSession(user);
        let stored: string[];
        if (options.storage) stored = (await options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
        else if (adapter.listSessions) stored = (await adapter.listSessions(idOf(user))).map((row) => row.sessionToken);
        else return t.skip('neither a storage probe nor listSessions to see what was stored');
        assert.equal(stored.length, 1);
        assert.notEqual(stored[0], token);
        assert.ok(!stored[0]?.includes(token), 'the stored value contains the token');
      });

      check('a stored session value is not accepted as a session token', async (t) => {
        const user = await newUser();
        const token = await newSession(user);
        let stored: string[];
        if (options.storage) stored = (await options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
        else if (adapter.listSessions) stored = (await adapter.listSessions(idOf(user))).map((row) => row.sessionToken);
        else return t.skip('neither a storage probe nor listSessions to see what was stored');
        for (const value of stored) assert.equal(await adapter.getSessionAndUser(value), null, 'a leaked stored value signs in');
        assert.ok(await adapter.getSessionAndUser(token));
      });

      check('getSessionAndUser of an unknown token is null', async () => {
        for (const token of [crypto.randomUUID(), 'x'.repeat(64), "' OR '1'='1"]) {
          assert.equal(await adapter.getSessionAndUser(token), null);
        }
      });

      check('updateSession moves the expiry; an unknown token changes nothing', async () => {
        const user = await newUser();
        const token = await newSession(user, at(MINUTE));
        const later = at(30 * DAY);
        const updated = await adapter.updateSession({ sessionToken: token, expires: later });
        if (updated) sameInstant(updated.expires, later, 'updateSession returned the old expiry');
        const found = await adapter.getSessionAndUser(token);
        assert.ok(found);
        sameInstant(found.session.expires, later);
        const ghost = crypto.randomUUID();
        assert.equal(await adapter.updateSession({ sessionToken: ghost, expires: later }) ?? null, null);
        assert.equal(await adapter.getSessionAndUser(ghost), null, 'updateSession created a session');
      });

      check('deleteSession removes the session; an unknown token resolves', async () => {
        const user = await newUser();
        const token = await newSession(user);
        const kept = await newSession(user);
        await adapter.deleteSession(token);
        assert.equal(await adapter.getSessionAndUser(token), null);
        assert.ok(await adapter.getSessionAndUser(kept), 'deleteSession removed another session');
        await adapter.deleteSession(crypto.randomUUID());
      });

      check('an expired session is never returned as live', async () => {
        const user = await newUser();
        const expired = at(-MINUTE);
        const token = await newSession(user, expired);
        // v4 semantics: the adapter may return the row and the core checks `expires`; a TTL store returns nothing.
        const found = await adapter.getSessionAndUser(token);
        if (found) assert.ok(new Date(found.session.expires).valueOf() <= Date.now(), 'an expired session came back live');
        await adapter.deleteSession(token);
        assert.equal(await adapter.getSessionAndUser(token), null);
      });

      check('listSessions lists the unexpired sessions of one user, by stored handle, newest expiry first', async (t) => {
        if (!adapter.listSessions) return t.skip('listSessions is a gatehouse addition; this adapter has none');
        const user = await newUser();
        const other = await newUser();
        const soon = at(HOUR);
        const later = at(DAY);
        const tokens = [await newSession(user, soon), await newSession(user, later)];
        await newSession(user, at(-MINUTE));
        await newSession(other);
        const listed = await adapter.listSessions(idOf(user));
        assert.equal(listed.length, 2);
        assert.deepEqual(
          listed.map((session) => new Date(session.expires).valueOf()),
          [later.valueOf(), soon.valueOf()],
        );
        for (const session of listed) {
          assert.equal(String(session.userId), idOf(user));
          assert.ok(!tokens.includes(session.sessionToken), 'listSessions exposes a usable token');
        }
        assert.deepEqual(await adapter.listSessions(crypto.randomUUID()), []);
      });

      check('deleteSession accepts a stored handle from listSessions', async (t) => {
        if (!adapter.listSessions) return t.skip('listSessions is a gatehouse addition; this adapter has none');
        const user = await newUser();
        const token = await newSession(user);
        const [handle] = await adapter.listSessions(idOf(user));
        assert.ok(handle);
        await adapter.deleteSession(handle.sessionToken);
        assert.equal(await adapter.getSessionAndUser(token), null);
      });

      check('deleteSessionsExcept keeps only the given session, by token or handle; null removes them all', async (t) => {
        if (!adapter.deleteSessionsExcept || !adapter.listSessions) return t.skip('gatehouse additions missing');
        const user = await newUser();
        const other = await newUser();
        const [a, b, c] = [await newSession(user, at(DAY)), await newSession(user, at(2 * DAY)), await newSession(user, at(3 * DAY))];
        const otherToken = await newSession(other);
        await adapter.deleteSessionsExcept(idOf(user), b);
        assert.equal(await adapter.getSessionAndUser(a), null);
        assert.ok(await adapter.getSessionAndUser(b), 'the kept session was deleted');
        assert.equal(await adapter.getSessionAndUser(c), null);
        assert.ok(await adapter.getSessionAndUser(otherToken), "another user's session was deleted");

        const d = await newSession(user, at(4 * DAY));
        const handles = await adapter.listSessions(idOf(user));
        const handleOfB = handles.find((session) => new Date(session.expires).valueOf() < at(3 * DAY).valueOf());
        assert.ok(handleOfB);
        await adapter.deleteSessionsExcept(idOf(user), handleOfB.sessionToken);
        assert.ok(await adapter.getSessionAndUser(b), 'keeping by handle deleted the session');
        assert.equal(await adapter.getSessionAndUser(d), null);

        await adapter.deleteSessionsExcept(idOf(user), null);
        assert.equal(await adapter.getSessionAndUser(b), null);
        assert.deepEqual(await adapter.listSessions(idOf(user)), []);
        assert.ok(await adapter.getSessionAndUser(otherToken));
      });

      check('a session written raw by next-auth still works and is upgraded to its hash', async (t) => {
        const insert = options.storage?.insertLegacySession;
        if (!insert || !options.storage) return t.skip('no next-auth layout to write a legacy row in');
        const user = await newUser();
        const raw = crypto.randomUUID();
        const expires = at(DAY);
        await insert({ sessionToken: raw, userId: idOf(user), expires });
        const found = await adapter.getSessionAndUser(raw);
        assert.ok(found, 'a next-auth session stopped working');
        assert.equal(idOf(found.user), idOf(user));
        sameInstant(found.session.expires, expires);
        const stored = (await options.storage.sessions(idOf(user))).map((row) => row.sessionToken);
        assert.equal(stored.length, 1);
        assert.notEqual(stored[0], raw, 'the raw row was not upgraded on use');
        assert.ok(await adapter.getSessionAndUser(raw), 'the upgraded row no longer works');

        const second = crypto.randomUUID();
        await insert({ sessionToken: second, userId: idOf(user), expires });
        const later = at(2 * DAY);
        await adapter.updateSession({ sessionToken: second, expires: later });
        sameInstant((await adapter.getSessionAndUser(second))?.session.expires, later);
        const third = crypto.randomUUID();
        await insert({ sessionToken: third, userId: idOf(user), expires });
        await adapter.deleteSession(third);
        assert.equal(await adapter.getSessionAndUser(third), null);
        assert.ok(!(await options.storage.sessions(idOf(user))).some((row) => row.sessionToken === third));
      });
    });

    describe('verification tokens', () => {
      check('useVerificationToken returns the token once, then null', async () => {
        const identifier = email('magic');
        const expires = at(DAY);
        const token = { identifier, token: unique('hash'), expires };
        await adapter.createVerificationToken(token);
        if (options.storage) assert.equal((await options.storage.verificationTokens(identifier)).length, 1);
        const used = await adapter.useVerificationToken({ identifier, token: token.token });
        assert.ok(used);
        assert.equal(used.identifier, identifier);
        assert.equal(used.token, token.token);
        sameInstant(used.expires, expires);
        assert.equal(await adapter.useVerificationToken({ identifier, token: token.token }), null);
        if (options.storage) assert.deepEqual(await options.storage.verificationTokens(identifier), []);
      });

      check('useVerificationToken with another identifier is null and leaves the token usable', async () => {
        const identifier = email('bound');
        const token = unique('hash');
        await adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
        assert.equal(await adapter.useVerificationToken({ identifier: email('attacker'), token }), null);
        assert.ok(await adapter.useVerificationToken({ identifier, token }), 'a wrong identifier consumed the token');
      });

      check('useVerificationToken of an unknown token is null', async () => {
        assert.equal(await adapter.useVerificationToken({ identifier: email('none'), token: unique('none') }), null);
      });

      check('an expired verification token is consumed and never returned as valid', async () => {
        const identifier = email('late');
        const token = unique('hash');
        await adapter.createVerificationToken({ identifier, token, expires: at(-MINUTE) });
        // v4 semantics: the row may come back for the core to refuse; a TTL store has already dropped it.
        const used = await adapter.useVerificationToken({ identifier, token });
        if (used) assert.ok(new Date(used.expires).valueOf() <= Date.now());
        assert.equal(await adapter.useVerificationToken({ identifier, token }), null);
      });

      check('concurrent useVerificationToken calls: exactly one wins', async () => {
        for (let round = 0; round < 5; round++) {
          const identifier = email('race');
          const token = unique('hash');
          await adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
          const results = await Promise.all(Array.from({ length: 12 }, () => adapter.useVerificationToken({ identifier, token })));
          const winners = results.filter((result) => result !== null);
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} callers got the token`);
        }
      });

      check('unicode identifiers work', async () => {
        const identifier = `${unique('李.zoë')}@exämple.org`;
        const token = unique('hash');
        await adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
        assert.equal(await adapter.useVerificationToken({ identifier: identifier.normalize('NFD'), token }), null);
        assert.equal((await adapter.useVerificationToken({ identifier, token }))?.identifier, identifier);
      });
    });

    describe('rate limits (gatehouse adapters that offer a shared store)', () => {
      function store(t: TestContext): RateLimitStore | undefined {
        const make = (adapter as { rateLimitStore?: () => RateLimitStore }).rateLimitStore;
        if (typeof make !== 'function') t.skip('rateLimitStore is a gatehouse addition; this adapter has none');
        return typeof make === 'function' ? make.call(adapter) : undefined;
      }

      check('hits count up in one window; peek reads without counting; reset forgets', async (t) => {
        const limits = store(t);
        if (!limits) return;
        const bucket = `credentials:id:${email('limited')}`;
        const before = Date.now();
        const first = await limits.hit(bucket, 900);
        assert.equal(first.count, 1);
        assert.ok(first.resetAt >= before + 899_000 && first.resetAt <= Date.now() + 900_000, 'the window is not 900 s long');
        assert.equal((await limits.hit(bucket, 900)).count, 2);
        assert.equal((await limits.hit(bucket, 900)).count, 3);
        const peeked = await limits.peek(bucket);
        assert.equal(peeked.count, 3);
        assert.equal((await limits.peek(bucket)).count, 3, 'peek counted');
        assert.equal((await limits.peek(`credentials:id:${email('other')}`)).count, 0);
        await limits.reset(bucket);
        assert.equal((await limits.peek(bucket)).count, 0);
        assert.equal((await limits.hit(bucket, 900)).count, 1);
      });

      check('concurrent hits each get their own count', async (t) => {
        const limits = store(t);
        if (!limits) return;
        const bucket = `email:ip:203.0.113.${++counter % 250}-${run}`;
        const counts = (await Promise.all(Array.from({ length: 20 }, () => limits.hit(bucket, 900)))).map((state) => state.count);
        assert.deepEqual(
          counts.sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      });

      check('refund takes one hit back and never goes below zero', async (t) => {
        const limits = store(t);
        if (!limits) return;
        const bucket = `credentials:ip:${unique('refund')}`;
        await limits.refund(bucket);
        assert.equal((await limits.peek(bucket)).count, 0, 'a refund without a window opened one');
        await limits.hit(bucket, 900);
        await limits.hit(bucket, 900);
        await limits.refund(bucket);
        assert.equal((await limits.peek(bucket)).count, 1);
        await limits.refund(bucket);
        await limits.refund(bucket);
        assert.equal((await limits.peek(bucket)).count, 0);
        assert.equal((await limits.hit(bucket, 900)).count, 1, 'the count went below zero');
      });

      check('40 concurrent reservations: each gets its own count, and their refunds balance', async (t) => {
        const limits = store(t);
        if (!limits) return;
        const bucket = `credentials:id:${unique('burst')}`;
        const counts = (await Promise.all(Array.from({ length: 40 }, () => limits.hit(bucket, 900)))).map((state) => state.count);
        assert.deepEqual(
          counts.sort((a, b) => a - b),
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        await Promise.all(Array.from({ length: 35 }, () => limits.refund(bucket)));
        assert.equal((await limits.peek(bucket)).count, 5);
      });

      check('an ended window is no window, and the next hit opens a new one', async (t) => {
        const limits = store(t);
        if (!limits) return;
        const bucket = `credentials:ip:${unique('ip')}`;
        await limits.hit(bucket, 0.2);
        await limits.hit(bucket, 0.2);
        // Bounded by attempts: the window is 200 ms; nothing here measures speed.
        for (let attempt = 0; attempt < 100 && (await limits.peek(bucket)).count > 0; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal((await limits.peek(bucket)).count, 0, 'the window never ended');
        assert.equal((await limits.hit(bucket, 900)).count, 1);
      });
    });

    describe('failures', () => {
      check('a dropped connection is reported, and the adapter recovers without a restart', async (t) => {
        const drop = options.interrupt?.dropConnections;
        if (!drop) return t.skip('no server connection to drop');
        const user = await newUser();
        const token = await newSession(user);
        await drop();
        // The first call may fail (its connection was dead) or succeed (the driver reconnected first).
        const first = await settle(adapter.getSessionAndUser(token));
        if (!first.ok) assert.ok(first.error instanceof Error, 'the failure is not an Error');
        else assert.equal(idOf((first.value as { user: AdapterUser }).user), idOf(user));
        // A pool may hold several dead connections; each is discarded on use. Bounded by attempts, not time.
        let recovered: Awaited<ReturnType<Full['getSessionAndUser']>> = null;
        for (let attempt = 0; attempt < 10 && !recovered; attempt++) {
          const next = await settle(adapter.getSessionAndUser(token));
          if (next.ok) recovered = next.value;
        }
        assert.ok(recovered, 'the adapter did not recover');
        // Writes work again too, and the earlier data is whole.
        const later = await newUser();
        assert.ok(await adapter.getUser(idOf(later)));
        assert.equal(idOf((await adapter.getUser(idOf(user))) as AdapterUser), idOf(user));
      }, HANG_GUARD);

      check('deleteUser interrupted at its last step leaves the user, sessions and accounts intact', async (t) => {
        const arrange = options.interrupt?.deleteUser;
        if (!arrange) return t.skip('this store cannot be interrupted half-way (or does the whole write as one command)');
        const user = await newUser();
        const linked = account(user);
        await adapter.linkAccount(linked);
        const tokens = [await newSession(user), await newSession(user)];

        const interruption = await arrange(idOf(user));
        const outcome = settle(adapter.deleteUser(idOf(user)));
        try {
          await interruption.strike();
        } catch (error) {
          // Usually deleteUser ended before it could be caught half-way: say how, or the failure is a riddle.
          const state = await Promise.race([outcome, new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending'))]);
          const how = state === 'pending' ? 'still running' : state.ok ? 'it had succeeded' : `it had failed: ${String(state.error)}`;
          await interruption.release();
          throw new Error(`${error instanceof Error ? error.message : String(error)} (deleteUser: ${how})`, { cause: error });
        }
        // Released only once deleteUser has ended: a trigger dropped too early would let it through.
        const result = await outcome;
        await interruption.release();
        assert.equal(result.ok, false, 'deleteUser reported success although it was interrupted');

        // Reads may meet the pool's other dead connections first: retry a bounded number of times.
        let intact: AdapterUser | null = null;
        for (let attempt = 0; attempt < 10 && !intact; attempt++) {
          const read = await settle(adapter.getUser(idOf(user)));
          if (read.ok) intact = read.value;
        }
        assert.ok(intact, 'the user is gone after an interrupted delete');
        assert.equal(idOf((await adapter.getUserByAccount(linked)) as AdapterUser), idOf(user), 'the account is gone');
        for (const token of tokens) assert.ok(await adapter.getSessionAndUser(token), 'a session is gone');
        if (options.storage) {
          assert.equal((await options.storage.sessions(idOf(user))).length, 2);
          assert.equal((await options.storage.accounts(idOf(user))).length, 1);
        }
        await adapter.deleteUser(idOf(user));
        assert.equal(await adapter.getUser(idOf(user)), null);
      }, HANG_GUARD);
    });

    check('every excluded test exists', async () => {
      const unknown = [...exclude.keys()].filter((name) => !registered.has(name));
      assert.deepEqual(unknown, [], 'exclude names tests that do not exist');
    });
  });
}

