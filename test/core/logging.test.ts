// Secrets, tokens, cookies and passwords never reach a log line (advisory GHSA-p6mm's class), at any level.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Credentials from '../../src/providers/credentials.js';
import { Browser, startServer } from '../helpers/server.js';

const SECRET = 'SENTINEL-secret-7f3a9c2e1b0d4f5a6e7d8c9b';
const PASSWORD = 'SENTINEL-password-91ab';

describe('logging', () => {
  test('failing, throwing and succeeding sign-ins log nothing secret, with debug on', async () => {
    const lines: string[] = [];
    const capture = (level: string) => (code: string, metadata?: unknown) => lines.push(`${level} ${code} ${JSON.stringify(metadata ?? null)}`);
    const server = await startServer({
      secret: SECRET,
      debug: true,
      logger: { error: capture('error'), warn: capture('warn'), debug: capture('debug') },
      providers: [
        Credentials({
          authorize: (credentials) => {
            if (credentials.password === 'throw') throw new Error(`db said no for ${credentials.password} and token ${credentials.csrfToken}`);
            return credentials.password === PASSWORD ? { id: 'u1', email: 'a@example.com' } : null;
          },
        }),
      ],
      callbacks: {
        redirect: () => {
          throw Object.assign(new Error('redirect failed'), { secret: SECRET, cookie: 'next-auth.session-token=abc' });
        },
      },
    });
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { username: 'a', password: 'wrong' });
      await browser.signInWithCredentials(server.base, { username: 'a', password: 'throw' });
      await browser.signInWithCredentials(server.base, { username: 'a', password: PASSWORD });
      await browser.fetch(`${server.base}/session`);
      await browser.fetch(`${server.base}/_log`, { method: 'POST', form: { level: 'error', code: 'X', message: SECRET } });
      const csrf = browser.jar.get('next-auth.csrf-token')!;
      const session = browser.jar.get('next-auth.session-token')!;
      assert.ok(lines.length >= 2, 'something was logged');
      const all = lines.join('\n');
      for (const sentinel of [SECRET, PASSWORD, session, csrf.slice(0, 64), decodeURIComponent(csrf).split('|')[1]!]) {
        assert.ok(!all.includes(sentinel), `log leaks ${sentinel.slice(0, 12)}…:\n${all}`);
      }
    } finally {
      await server.close();
    }
  });
});
