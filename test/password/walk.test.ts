// The done-when walk over REST, on real SMTP and every real database: sign-up → verify → sign-in → locked → reset mail → reset → old password refused, new accepted, other sessions gone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { mysqlAdapter } from '../../src/adapters/mysql.js';
import { postgresAdapter } from '../../src/adapters/postgres.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import { sqliteAdapter } from '../../src/adapters/sqlite.js';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import type { LockoutEvent } from '../../src/types.js';
import { createPgFixture } from '../adapters/pg-fixture.js';
import { MARIADB, REDIS, redisSkipReason, runName, serviceSkipReason } from '../adapters/services.js';
import { Browser } from '../helpers/server.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { mailedLink, mailTo, passwordServer, post, postJson, query, sessionOf, waitForMail } from './helpers.js';

interface Backend {
  name: string;
  skip: () => Promise<string | undefined>;
  open: () => Promise<{ adapter: GatehouseAdapter; close: () => Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    skip: async () => undefined,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-walk-'));
      const adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
      await adapter.migrate();
      return { adapter, close: async () => (await adapter.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'PostgreSQL',
    skip: () => serviceSkipReason('PostgreSQL', async () => (await createPgFixture()).drop()),
    open: async () => {
      const fixture = await createPgFixture();
      const adapter = postgresAdapter(fixture.connection);
      await adapter.migrate();
      return { adapter, close: async () => (await adapter.close(), await fixture.drop()) };
    },
  },
  {
    name: 'MariaDB',
    skip: () => serviceSkipReason(`MariaDB at ${MARIADB.host}:${MARIADB.port}`, async () => (await mysql.createConnection(MARIADB)).end()),
    open: async () => {
      const database = runName();
      const admin = await mysql.createConnection(MARIADB);
      await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      const adapter = mysqlAdapter({ ...MARIADB, database, connectionLimit: 4 });
      await adapter.migrate();
      return { adapter, close: async () => (await adapter.close(), await admin.query(`DROP DATABASE ${database}`), await admin.end()) };
    },
  },
  {
    name: 'Redis',
    skip: () => redisSkipReason(),
    open: async () => {
      const prefix = `${runName()}:`;
      const adapter = redisAdapter(REDIS, { prefix });
      await adapter.migrate();
      return {
        adapter,
        close: async () => {
          const admin = new Redis(REDIS);
          const keys = await admin.keys(`${prefix}*`);
          if (keys.length) await admin.del(...keys);
          admin.disconnect();
          await adapter.close();
        },
      };
    },
  },
];

describe('the password lifecycle over REST', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtp();
  });
  after(() => smtp.close());

  for (const backend of BACKENDS) {
    for (const strategy of backend.name === 'SQLite' ? (['database', 'jwt'] as const) : (['database'] as const)) {
      test(`${backend.name}, ${strategy} sessions`, async (t) => {
        const reason = await backend.skip();
        if (reason) return t.skip(reason);
        const { adapter, close } = await backend.open();
        const lockouts: LockoutEvent[] = [];
        const server = await passwordServer(smtp, adapter, { lockout: { threshold: 3, lockSeconds: 60 } }, { session: { strategy }, events: { lockout: (event) => void lockouts.push(event) } });
        try {
          const email = `walker-${strategy}@example.com`;
          const first = 'first password 1';
          const second = 'second password 2';
          const laptop = new Browser();

          // Sign-up → verification mail → confirm → verified.
          let sent = smtp.mails.length;
          const signedUp = await post(laptop, `${server.base}/signup/password`, { email, password: first, name: 'Walker' });
          assert.equal(signedUp.headers.get('location'), `${server.base}/verify-request?provider=password&type=signup`);
          const verifyLink = mailedLink(mailTo(smtp, email, sent), 'verify-email');
          assert.equal((await laptop.fetch(verifyLink.href)).status, 200);
          const verified = await post(laptop, `${server.base}/verify-email`, { token: verifyLink.searchParams.get('token')! });
          assert.equal(verified.headers.get('location'), `${server.base}/signin?notice=verified`);

          // Signed in on two devices.
          const phone = new Browser();
          for (const device of [laptop, phone]) {
            const answer = await postJson(device, `${server.base}/callback/password`, { email, password: first });
            assert.equal(answer.status, 200, JSON.stringify(answer));
            assert.equal((await sessionOf(device, server.base))?.user?.email, email);
          }

          // Wrong passwords until locked: two InvalidCredentials, the third locks (423, Retry-After), and the right password is refused too.
          const attacker = new Browser();
          for (let i = 1; i <= 2; i++) {
            const wrong = await postJson(attacker, `${server.base}/callback/password`, { email, password: `guess number ${i}` });
            assert.equal(wrong.status, 401);
            assert.equal(query(wrong.url).code, 'InvalidCredentials');
          }
          const locking = await postJson(attacker, `${server.base}/callback/password`, { email, password: 'guess number 3' });
          assert.equal(locking.status, 423);
          assert.equal(query(locking.url).code, 'AccountLocked');
          const retryAfter = Number(locking.headers.get('retry-after'));
          assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
          const whileLocked = await postJson(new Browser(), `${server.base}/callback/password`, { email, password: first });
          assert.equal(whileLocked.status, 423);
          assert.equal(lockouts.length, 1);
          const user = (await adapter.getUserByEmail(email))!;
          assert.equal(lockouts[0]!.userId, user.id);
          assert.ok((await adapter.getPassword(user.id))!.lockedUntil! > new Date());

          // Forgot: the same answer for an unknown address; the reset mail arrives for the known one.
          sent = smtp.mails.length;
          const known = await post(new Browser(), `${server.base}/password/forgot`, { email });
          const unknown = await post(new Browser(), `${server.base}/password/forgot`, { email: 'nobody-here@example.com' });
          assert.equal(known.status, unknown.status);
          assert.equal(known.headers.get('location'), unknown.headers.get('location'));
          assert.equal(known.headers.get('location'), `${server.base}/verify-request?provider=password&type=reset`);
          assert.equal(await known.text(), await unknown.text());
          const resetLink = mailedLink(await waitForMail(smtp, email, sent), 'password/reset');
          assert.ok(!smtp.mails.slice(sent).some((m) => m.to.includes('nobody-here@example.com')));

          // Reset: the form (spends nothing), a weak password refused back to the form, then the new one.
          const resetter = new Browser();
          const form = await resetter.fetch(resetLink.href);
          assert.equal(form.status, 200);
          assert.match(await form.text(), /name="token"/);
          const token = resetLink.searchParams.get('token')!;
          const weak = await postJson(resetter, `${server.base}/password/reset`, { token, password: 'short' });
          assert.equal(weak.status, 400);
          assert.equal(query(weak.url).error, 'WeakPassword');
          assert.equal(query(weak.url).token, token);
          const reset = await postJson(resetter, `${server.base}/password/reset`, { token, password: second, callbackUrl: '/welcome-back' });
          assert.equal(reset.status, 200, JSON.stringify(reset));
          assert.equal(reset.url, `${server.origin}/welcome-back`);
          assert.equal((await sessionOf(resetter, server.base))?.user?.email, email);
          const stored = (await adapter.getPassword(user.id))!;
          assert.equal(stored.lockedUntil, null);
          assert.equal(stored.failures, 0);
          // The link is spent.
          const replay = await postJson(new Browser(), `${server.base}/password/reset`, { token, password: 'third password 3' });
          assert.equal(query(replay.url).error, 'Verification');

          // The old password is refused (not locked: the reset unlocked), the new one accepted.
          const old = await postJson(new Browser(), `${server.base}/callback/password`, { email, password: first });
          assert.equal(old.status, 401);
          assert.equal(query(old.url).code, 'InvalidCredentials');
          const fresh = new Browser();
          assert.equal((await postJson(fresh, `${server.base}/callback/password`, { email, password: second })).status, 200);
          assert.equal((await sessionOf(fresh, server.base))?.user?.email, email);

          // The sessions from before the reset are gone.
          assert.equal(await sessionOf(laptop, server.base), null);
          assert.equal(await sessionOf(phone, server.base), null);

          // Change while signed in: the current password checked, the other sessions (resetter's) end, this one stays.
          const wrongCurrent = await postJson(fresh, `${server.base}/password/change`, { currentPassword: 'not it at all', newPassword: 'third password 3' });
          assert.equal(wrongCurrent.status, 401);
          assert.equal(wrongCurrent.url, `${server.base}/password/change?error=InvalidCredentials&provider=password`);
          const changed = await postJson(fresh, `${server.base}/password/change`, { currentPassword: second, newPassword: 'third password 3', callbackUrl: '/settings' });
          assert.equal(changed.status, 200, JSON.stringify(changed));
          assert.equal(changed.url, `${server.origin}/settings`);
          assert.equal((await sessionOf(fresh, server.base))?.user?.email, email);
          assert.equal(await sessionOf(resetter, server.base), null);
          assert.equal((await postJson(new Browser(), `${server.base}/callback/password`, { email, password: 'third password 3' })).status, 200);
          const signedOut = await postJson(new Browser(), `${server.base}/password/change`, { currentPassword: 'x', newPassword: 'fourth password 4' });
          assert.equal(signedOut.status, 401);
        } finally {
          await server.close();
          await close();
        }
      });
    }
  }
});
