// The crypto vectors, the JWE, cache, password and route tests again with the node:crypto fast path off:
// under GATEHOUSE_WEB_CRYPTO=1 Node runs the Web Crypto code (and JavaScript scrypt) that Bun, Deno and workerd run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const files = ['crypto', 'ip-syntax', 'jwe', 'jwt-compat', 'opened-cache', 'password', 'csrf', 'advisories', 'routes'].map((name) => `test/core/${name}.test.ts`);

test('the same tests pass on Web Crypto alone', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GATEHOUSE_WEB_CRYPTO: '1', NODE_NO_WARNINGS: '1' },
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`.slice(-4000));
});
