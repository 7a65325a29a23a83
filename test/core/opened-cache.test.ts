// The opened-session-cookie cache: a repeated cookie skips the AES-GCM open, and nothing else changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decryptTokenWithKey, deriveKeys, encryptToken, OpenedTokenCache } from '../../src/core/jwt.js';
import { createAuth } from '../../src/index.js';
import { configOf } from '../../src/instance.js';
import { credentialsConfig } from '../helpers/config.js';

const keys = deriveKeys(['a-secret']);

test('a repeated cookie opens from the cache, to a fresh payload each time', async () => {
  const cache = new OpenedTokenCache();
  const token = await encryptToken({ name: 'Ann', roles: ['a'] }, keys, 60);
  const first = (await decryptTokenWithKey(token, keys, undefined, cache))!;
  assert.equal(cache.size, 1);
  (first.payload.roles as string[]).push('admin');
  first.payload.name = 'Mallory';
  const second = (await decryptTokenWithKey(token, keys, undefined, cache))!;
  assert.equal(second.payload.name, 'Ann');
  assert.deepEqual(second.payload.roles, ['a']);
  assert.notEqual(first.payload, second.payload);
});

test('exp is checked on every read, cached or not', async () => {
  const cache = new OpenedTokenCache();
  const now = Math.floor(Date.now() / 1000);
  const token = await encryptToken({ name: 'Ann' }, keys, 60, now);
  assert.ok(await decryptTokenWithKey(token, keys, now, cache));
  assert.equal(cache.size, 1);
  assert.equal(await decryptTokenWithKey(token, keys, now + 60 + 16, cache), null);
});

test('failures are not cached; a tampered twin of a cached cookie still fails', async () => {
  const cache = new OpenedTokenCache();
  const token = await encryptToken({ name: 'Ann' }, keys, 60);
  assert.equal(await decryptTokenWithKey('a.b.c.d.e', keys, undefined, cache), null);
  assert.equal(cache.size, 0);
  assert.ok(await decryptTokenWithKey(token, keys, undefined, cache));
  const parts = token.split('.');
  parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'AB' : 'AA');
  assert.equal(await decryptTokenWithKey(parts.join('.'), keys, undefined, cache), null);
  // Another instance's keys never see this cache's entries: each config has its own.
  assert.equal(await decryptTokenWithKey(token, deriveKeys(['another-secret'])), null);
});

test('bounded: the oldest entry goes first, and long cookies are not kept', async () => {
  const cache = new OpenedTokenCache(3, 2000);
  const tokens = await Promise.all([1, 2, 3, 4].map((n) => encryptToken({ n }, keys, 60)));
  for (const token of tokens) await decryptTokenWithKey(token, keys, undefined, cache);
  assert.equal(cache.size, 3);
  const long = await encryptToken({ padding: 'x'.repeat(3000) }, keys, 60);
  assert.ok(await decryptTokenWithKey(long, keys, undefined, cache));
  assert.equal(cache.size, 3);
});

test('two instances keep separate caches', async () => {
  const a = createAuth(credentialsConfig({ secret: 'secret-a', url: 'http://127.0.0.1:1/api/auth' }));
  const b = createAuth(credentialsConfig({ secret: 'secret-b', url: 'http://127.0.0.1:1/api/auth' }));
  assert.notEqual(configOf(a).caches.openedSessions, configOf(b).caches.openedSessions);
  const cookie = await encryptToken({ name: 'Ann' }, configOf(a).sessionKeys, 60);
  const headers = new Headers({ cookie: `next-auth.session-token=${cookie}` });
  assert.equal((await a.getSession(headers))?.user?.name, 'Ann');
  assert.equal(await b.getSession(headers), null);
});
