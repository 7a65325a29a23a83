// Sessions and devices end to end over HTTP: two user agents list and revoke each other, replayed cookies after sign-out, JWT and database, one and two instances.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { memoryAdapter } from '../../src/adapters/memory.js';
import postgresAdapter from '../../src/adapters/postgres.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import Credentials from '../../src/providers/credentials.js';
import type { AuthConfig, SessionRevokedEvent, SessionStore } from '../../src/types.js';
import { createPgFixture, type PgFixture } from '../adapters/pg-fixture.js';
import { postgresSkipReason, REDIS, redisSkipReason, runName } from '../adapters/services.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** A browser with its own user agent. */
class Device extends Browser {
  constructor(readonly userAgent: string) {
    super();
  }
  override fetch(url: string, init: Parameters<Browser['fetch']>[1] = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('user-agent', this.userAgent);
    return super.fetch(url, { ...init, headers });
  }
  /** A copy of this browser's cookies: what an attacker who captured them holds. */
  clone(): Device {
    const copy = new Device(this.userAgent);
    for (const [name, value] of this.jar) copy.jar.set(name, value);
    return copy;
  }
}

interface WireSession {
  id: string;
  current: boolean;
  createdAt: string | null;
  lastActiveAt: string | null;
  expires: string;
  userAgent: string | null;
  ipAddress: string | null;
  browser: string | null;
  os: string | null;
}

async function sessionOf(device: Device, base: string): Promise<Record<string, unknown>> {
  return (await (await device.fetch(`${base}/session`)).json()) as Record<string, unknown>;
}

async function list(device: Device, base: string): Promise<WireSession[]> {
  const response = await device.fetch(`${base}/sessions`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('cache-control') ?? '', /no-store/);
  return ((await response.json()) as { sessions: WireSession[] }).sessions;
}

async function post(device: Device, base: string, path: string, fields: Record<string, string> = {}): Promise<Response> {
  const csrfToken = await device.csrfToken(base);
  return device.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken } });
}

async function signIn(device: Device, base: string, email: string): Promise<void> {
  const response = await device.signInWithCredentials(base, { email, password: 'pw' });
  assert.equal(response.status, 200);
  assert.ok(device.jar.has('next-auth.session-token'), 'signed in');
}

async function signOut(device: Device, base: string): Promise<void> {
  const csrfToken = await device.csrfToken(base);
  const response = await device.fetch(`${base}/signout`, { method: 'POST', form: { csrfToken, json: 'true' } });
  assert.equal(response.status, 200);
  assert.ok(!device.jar.has('next-auth.session-token'), 'cookie cleared');
}

interface Setup {
  /** One config per instance: two share a store, as two processes behind a load balancer would. */
  configs: Array<Omit<AuthConfig, 'providers' | 'secret'>>;
  users: Users;
  cleanup(): Promise<void>;
}

interface Scenario {
  name: string;
  skip?: () => Promise<string | undefined>;
  setup(events: SessionRevokedEvent[]): Promise<Setup>;
}

const credentials = (lookup: (email: string) => Promise<{ id: string; email: string } | null>) =>
  Credentials({
    credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
    authorize: async ({ email, password }) => (password === 'pw' && email ? await lookup(email) : null),
  });

const pgSkip = postgresSkipReason;
const redisSkip = redisSkipReason;

type Users = Map<string, { id: string; email: string }>;

/** Users exist in the adapter when there is one; without, authorize() makes them up from the email. */
async function adapterUsers(adapter: GatehouseAdapter): Promise<Users> {
  const users: Users = new Map();
  for (const email of ['ann@example.com', 'bob@example.com']) {
    const created = await adapter.createUser({ email, emailVerified: null });
    users.set(email, { id: created.id, email });
  }
  return users;
}

const scenarios: Scenario[] = [
  {
    name: 'JWT, memory adapter, one instance',
    async setup(events) {
      const adapter = memoryAdapter();
      const users = await adapterUsers(adapter);
      return { configs: [{ adapter, session: { strategy: 'jwt' }, events: { sessionRevoked: (e) => void events.push(e) } }], users, cleanup: async () => {} };
    },
  },
  {
    name: 'database, SQLite file, one instance',
    async setup(events) {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-devices-'));
      const adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
      await adapter.migrate();
      const users = await adapterUsers(adapter);
      return {
        configs: [{ adapter, session: { strategy: 'database' }, events: { sessionRevoked: (e) => void events.push(e) } }],
        users,
        async cleanup() {
          await adapter.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'JWT without an adapter, two instances sharing a Redis session store',
    skip: redisSkip,
    async setup(events) {
      const prefix = `${runName()}:`;
      const stores = [redisAdapter(REDIS, { prefix }), redisAdapter(REDIS, { prefix })];
      const users: Users = new Map(['ann@example.com', 'bob@example.com'].map((email) => [email, { id: `user-${email}`, email }]));
      return {
        configs: stores.map((store) => ({
          session: { strategy: 'jwt' as const },
          // Lag 0: every read polls, so the test needs no clock; the lag itself is tested with a frozen clock.
          sessions: { store: store.sessionStore(), revocationLag: 0 },
          events: { sessionRevoked: (e: SessionRevokedEvent) => void events.push(e) },
        })),
        users,
        async cleanup() {
          const admin = new Redis(REDIS);
          const keys = await admin.keys(`${prefix}*`);
          if (keys.length > 0) await admin.del(...keys);
          await admin.quit();
          await Promise.all(stores.map((store) => store.close()));
        },
      };
    },
  },
  {
    name: 'JWT, two instances sharing PostgreSQL',
    skip: pgSkip,
    async setup(events) {
      const fixture: PgFixture = await createPgFixture();
      const adapters = [postgresAdapter(fixture.connection), postgresAdapter(fixture.connection)];
      await adapters[0]!.migrate();
      const users = await adapterUsers(adapters[0]!);
      return {
        configs: adapters.map((adapter) => ({
          adapter,
          session: { strategy: 'jwt' as const },
          sessions: { revocationLag: 0 },
          events: { sessionRevoked: (e: SessionRevokedEvent) => void events.push(e) },
        })),
        users,
        async cleanup() {
          await Promise.all(adapters.map((adapter) => adapter.close()));
          await fixture.drop();
        },
      };
    },
  },
  {
    name: 'database, two instances sharing PostgreSQL',
    skip: pgSkip,
    async setup(events) {
      const fixture: PgFixture = await createPgFixture();
      const adapters = [postgresAdapter(fixture.connection), postgresAdapter(fixture.connection)];
      await adapters[0]!.migrate();
      const users = await adapterUsers(adapters[0]!);
      return {
        configs: adapters.map((adapter) => ({
          adapter,
          session: { strategy: 'database' as const },
          events: { sessionRevoked: (e: SessionRevokedEvent) => void events.push(e) },
        })),
        users,
        async cleanup() {
          await Promise.all(adapters.map((adapter) => adapter.close()));
          await fixture.drop();
        },
      };
    },
  },
];

for (const scenario of scenarios) {
  describe(`sessions and devices: ${scenario.name}`, async () => {
    const skip = await scenario.skip?.();
    if (skip) {
      test('skipped', { skip }, () => undefined);
      return;
    }
    const events: SessionRevokedEvent[] = [];
    const setup = await scenario.setup(events);
    const users = setup.users;
    const servers: TestServer[] = [];
    for (const config of setup.configs) {
      servers.push(await startServer({ ...config, secret: SECRET, providers: [credentials(async (email) => users.get(email) ?? null)] }));
    }
    after(async () => {
      await Promise.all(servers.map((server) => server.close()));
      await setup.cleanup();
    });
    const a = servers[0]!.base;
    const b = (servers[1] ?? servers[0]!).base;

    test('two user agents sign in; each lists both with the right current flag and device; one revokes the other, whose next GET session is {}', async () => {
      const laptop = new Device(FIREFOX_LINUX);
      const phone = new Device(SAFARI_IPHONE);
      await signIn(laptop, a, 'ann@example.com');
      await signIn(phone, b, 'ann@example.com');

      const fromLaptop = await list(laptop, a);
      const fromPhone = await list(phone, b);
      assert.equal(fromLaptop.length, 2);
      assert.equal(fromPhone.length, 2);
      const mine = (sessions: WireSession[]) => sessions.find((s) => s.current)!;
      const other = (sessions: WireSession[]) => sessions.find((s) => !s.current)!;
      assert.equal(fromLaptop[0]!.current, true, 'the current session comes first');
      assert.deepEqual({ browser: mine(fromLaptop).browser, os: mine(fromLaptop).os, userAgent: mine(fromLaptop).userAgent }, { browser: 'Firefox 125', os: 'Linux', userAgent: FIREFOX_LINUX });
      assert.deepEqual({ browser: other(fromLaptop).browser, os: other(fromLaptop).os }, { browser: 'Safari 17', os: 'iOS 17.4' });
      assert.deepEqual({ browser: mine(fromPhone).browser, os: mine(fromPhone).os }, { browser: 'Safari 17', os: 'iOS 17.4' });
      assert.equal(mine(fromPhone).id, other(fromLaptop).id, 'both see the same ids');
      assert.equal(mine(fromLaptop).ipAddress, '127.0.0.1');
      for (const session of fromLaptop) {
        assert.ok(session.createdAt && session.lastActiveAt && !Number.isNaN(Date.parse(session.expires)));
        assert.match(session.id, /^[0-9a-f]{32}$/);
        for (const cookie of [laptop.jar.get('next-auth.session-token')!, phone.jar.get('next-auth.session-token')!]) {
          assert.ok(!cookie.includes(session.id) && !session.id.includes(cookie), 'an id is not the token');
        }
        // The id as a cookie is no session.
        const forger = new Device(CHROME_WINDOWS);
        forger.jar.set('next-auth.session-token', session.id);
        assert.deepEqual(await sessionOf(forger, a), {});
      }

      const revoked = await post(laptop, a, 'sessions/revoke', { id: other(fromLaptop).id });
      assert.equal(revoked.status, 200);
      assert.deepEqual(await revoked.json(), { revoked: 1 });
      assert.deepEqual(await sessionOf(phone, b), {}, 'the revoked browser is signed out on its instance');
      assert.deepEqual(await sessionOf(phone, a), {}, 'and on the other');
      assert.equal(((await sessionOf(laptop, a)) as { user?: { email?: string } }).user?.email, 'ann@example.com', 'the revoking one stays');
      assert.deepEqual(
        (await list(laptop, b)).map((s) => s.current),
        [true],
      );
      assert.ok(events.some((e) => e.reason === 'revoked' && e.sessionId === other(fromLaptop).id && e.userId === users.get('ann@example.com')!.id));
      await signOut(laptop, a);
    });

    test('a cookie copied before sign-out is no session afterwards, on every instance', async () => {
      const victim = new Device(CHROME_WINDOWS);
      await signIn(victim, a, 'bob@example.com');
      const captured = victim.clone();
      assert.equal(((await sessionOf(captured, b)) as { user?: { email?: string } }).user?.email, 'bob@example.com');
      await signOut(victim, a);
      assert.deepEqual(await sessionOf(captured, a), {});
      assert.deepEqual(await sessionOf(captured, b), {});
      assert.equal((await captured.fetch(`${b}/sessions`)).status, 401);
      assert.ok(events.some((e) => e.reason === 'signOut' && e.userId === users.get('bob@example.com')!.id));
    });

    test('revoke-others ends every session but the caller’s', async () => {
      const devices = [new Device(FIREFOX_LINUX), new Device(SAFARI_IPHONE), new Device(CHROME_WINDOWS)];
      for (const [i, device] of devices.entries()) await signIn(device, i % 2 ? b : a, 'bob@example.com');
      const response = await post(devices[0]!, a, 'sessions/revoke-others');
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { revoked: 2 });
      assert.deepEqual(await sessionOf(devices[1]!, a), {});
      assert.deepEqual(await sessionOf(devices[2]!, b), {});
      assert.ok(((await sessionOf(devices[0]!, b)) as { user?: unknown }).user);
      assert.equal((await list(devices[0]!, a)).length, 1);
      await signOut(devices[0]!, a);
    });

    test('revoking the current session by id clears its cookie; an id of another user is a 404', async () => {
      const ann = new Device(FIREFOX_LINUX);
      const bob = new Device(SAFARI_IPHONE);
      await signIn(ann, a, 'ann@example.com');
      await signIn(bob, a, 'bob@example.com');
      const bobs = await list(bob, a);
      const foreign = await post(ann, a, 'sessions/revoke', { id: bobs[0]!.id });
      assert.equal(foreign.status, 404);
      assert.ok(((await sessionOf(bob, b)) as { user?: unknown }).user, 'Bob is still signed in');
      const own = (await list(ann, a))[0]!;
      const response = await post(ann, a, 'sessions/revoke', { id: own.id });
      assert.equal(response.status, 200);
      assert.ok(!ann.jar.has('next-auth.session-token'), 'the cookie is cleared');
      await signOut(bob, a);
    });

    test('signed out: GET sessions and both POSTs answer 401 {}; a POST without the CSRF token is a 403; a bad id a 400', async () => {
      const stranger = new Device(CHROME_WINDOWS);
      const response = await stranger.fetch(`${a}/sessions`);
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {});
      for (const path of ['sessions/revoke', 'sessions/revoke-others']) {
        const answer = await post(stranger, a, path, { id: 'x' });
        assert.equal(answer.status, 401, path);
        assert.deepEqual(await answer.json(), {});
      }
      await signIn(stranger, a, 'ann@example.com');
      const noCsrf = await stranger.fetch(`${a}/sessions/revoke-others`, { method: 'POST', json: {} });
      assert.equal(noCsrf.status, 403);
      assert.equal((await list(stranger, a)).length >= 1, true, 'nothing was revoked');
      assert.equal((await post(stranger, a, 'sessions/revoke', {})).status, 400);
      assert.equal((await stranger.fetch(`${a}/sessions/other`, { method: 'POST', json: {} })).status, 400);
      assert.equal((await stranger.fetch(`${a}/sessions/revoke`)).status, 400, 'GET sessions/revoke is no route');
      await signOut(stranger, a);
    });

    test('revokeUserSessions signs a user out everywhere', async () => {
      const devices = [new Device(FIREFOX_LINUX), new Device(SAFARI_IPHONE)];
      await signIn(devices[0]!, a, 'ann@example.com');
      await signIn(devices[1]!, b, 'ann@example.com');
      const ended = await servers[0]!.auth.revokeUserSessions(users.get('ann@example.com')!.id);
      assert.equal(ended, 2);
      assert.deepEqual(await sessionOf(devices[0]!, a), {});
      assert.deepEqual(await sessionOf(devices[1]!, b), {});
      assert.ok(events.some((e) => e.reason === 'revokedAll'));
    });
  });
}

describe('sessions and devices: JWT without any store', () => {
  test('sign-out revokes on the instance that handled it; only the current session is listed', async () => {
    const server = await startServer({
      secret: SECRET,
      providers: [credentials(async (email) => ({ id: `id-${email}`, email }))],
    });
    try {
      const device = new Device(FIREFOX_LINUX);
      await signIn(device, server.base, 'ann@example.com');
      const listed = await list(device, server.base);
      assert.equal(listed.length, 1);
      assert.equal(listed[0]!.current, true);
      assert.equal(listed[0]!.createdAt, null, 'nothing recorded the device');
      const captured = device.clone();
      await signOut(device, server.base);
      assert.deepEqual(await sessionOf(captured, server.base), {});
    } finally {
      await server.close();
    }
  });
});
