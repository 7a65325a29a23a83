// The Pwned Passwords client against a loopback stand-in of the range API: k-anonymity on the wire, padding, and failing open or closed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { pwnedPasswords } from '../../src/services/pwned-passwords.js';
import { startPwnedPasswords, type StandIn } from '../helpers/standins.js';

let api: StandIn;
before(async () => {
  api = await startPwnedPasswords({ password: 10_437_277, 'correct horse battery staple': 412, 'Zoë 🦊 pass': 2 });
});
after(() => api.close());

test('a breached password is found; an unbreached one is not', async () => {
  const check = pwnedPasswords({ endpoint: `${api.url}/range/` });
  assert.equal(await check('password'), 'breached');
  assert.equal(await check('correct horse battery staple'), 'breached');
  assert.equal(await check('a password nobody has ever used 7f3a'), 'ok');
});

test('only the five-hex prefix of the SHA-1 leaves, with Add-Padding and a User-Agent', async () => {
  api.requests.length = 0;
  const password = 'correct horse battery staple';
  await pwnedPasswords({ endpoint: `${api.url}/range/` })(password);
  const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
  assert.equal(api.requests.length, 1);
  const [request] = api.requests;
  assert.equal(request!.path, `/range/${sha1.slice(0, 5)}`);
  assert.equal(request!.headers['add-padding'], 'true');
  assert.ok(request!.headers['user-agent']);
  // Nothing else of the hash, nor the password, is anywhere in what was sent.
  const sent = JSON.stringify(request);
  assert.ok(!sent.includes(sha1.slice(5)) && !sent.includes(sha1.slice(5).toLowerCase()));
  assert.ok(!sent.includes(password));
});

test('the password is checked in its NFKC form, as it is stored', async () => {
  const check = pwnedPasswords({ endpoint: `${api.url}/range/` });
  assert.equal(await check('Zoë 🦊 pass'.normalize('NFD')), 'breached');
});

test('minCount raises the bar', async () => {
  assert.equal(await pwnedPasswords({ endpoint: `${api.url}/range/`, minCount: 1000 })('correct horse battery staple'), 'ok');
  assert.equal(await pwnedPasswords({ endpoint: `${api.url}/range/`, minCount: 1000 })('password'), 'breached');
});

test('a timeout, a 5xx or no server fails open by default and closed when asked', async () => {
  for (const endpoint of [`${api.url}/slow/range/`, `${api.url}/broken/range/`, 'http://127.0.0.1:1/range/']) {
    assert.equal(await pwnedPasswords({ endpoint, timeoutMs: 200 })('password'), 'ok', endpoint);
    assert.equal(await pwnedPasswords({ endpoint, timeoutMs: 200, onUnavailable: 'closed' })('password'), 'unavailable', endpoint);
  }
});

test('an answer that is not the range format counts as unavailable', async () => {
  const garbage: typeof fetch = async () => new Response('<html>blocked</html>', { status: 200 });
  assert.equal(await pwnedPasswords({ fetch: garbage, onUnavailable: 'closed' })('password'), 'unavailable');
  assert.equal(await pwnedPasswords({ fetch: garbage })('password'), 'ok');
});

test('bad options are a TypeError at configuration', () => {
  assert.throws(() => pwnedPasswords({ endpoint: 'ftp://x/' }), TypeError);
  assert.throws(() => pwnedPasswords({ timeoutMs: 0 }), TypeError);
});
