// The session index's pure parts and its read-path schedule: user agents, stored addresses, the revocation list, and polling at most once per lag.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memorySessionStore } from '../../src/adapters/memory-session-store.js';
import { resolveConfig } from '../../src/config.js';
import { storedAddress } from '../../src/core/ip.js';
import { RevocationList } from '../../src/core/revocation-list.js';
import { describeUserAgent } from '../../src/core/user-agent.js';
import { isRevoked, POLL_OVERLAP_MS, revocationsReady } from '../../src/flows/revocations.js';
import type { SessionStore } from '../../src/types.js';

describe('user agents as a person reads them', () => {
  const table: Array<[string, string | null, string | null]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome 124', 'Windows 10'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51', 'Microsoft Edge 124', 'Windows 10'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'Safari 17', 'macOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox 125', 'Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari 17', 'iOS 17.4'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1', 'Chrome 124', 'iOS 17.4'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36', 'Chrome 124', 'Android 14'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36', 'Samsung Internet for Android 24', 'Android 14'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0', 'Opera 110', 'Windows 10'],
    ['curl/8.5.0', null, null],
  ];
  for (const [userAgent, browser, os] of table) {
    test(`${browser ?? 'unknown'} on ${os ?? 'unknown'}`, () => {
      assert.deepEqual(describeUserAgent(userAgent), { browser, os });
    });
  }
  test('no header, an empty one and a huge one are no error', () => {
    assert.deepEqual(describeUserAgent(null), { browser: null, os: null });
    assert.deepEqual(describeUserAgent(''), { browser: null, os: null });
    assert.equal(describeUserAgent(`${table[3]![0]}${'x'.repeat(100_000)}`).browser, 'Firefox 125');
  });
});

describe('client addresses as stored', () => {
  test('whole, truncated to the network, hashed under the key, or not at all', () => {
    assert.equal(storedAddress('203.0.113.77', true, 'k'), '203.0.113.77');
    assert.equal(storedAddress('::ffff:203.0.113.77', true, 'k'), '203.0.113.77', 'IPv4-mapped IPv6 is shown as IPv4');
    assert.equal(storedAddress('203.0.113.77', 'truncate', 'k'), '203.0.113.0');
    assert.equal(storedAddress('2001:db8:abcd:12::1', 'truncate', 'k'), '2001:db8:abcd::');
    assert.equal(storedAddress('2001:db8::1', 'truncate', 'k'), '2001:db8:0::');
    const hashed = storedAddress('203.0.113.77', 'hash', 'k');
    assert.match(hashed!, /^[0-9a-f]{32}$/);
    assert.equal(storedAddress('203.0.113.77', 'hash', 'k'), hashed, 'equal addresses, equal hashes');
    assert.notEqual(storedAddress('203.0.113.77', 'hash', 'other key'), hashed, 'keyed');
    assert.equal(storedAddress('203.0.113.77', false, 'k'), null);
    assert.equal(storedAddress(undefined, true, 'k'), null);
    assert.equal(storedAddress('not an address<script>', true, 'k'), null, 'a header value that is no address is not stored');
  });
});

describe('the revocation list', () => {
  test('an id is revoked until its expiry, then forgotten', () => {
    const list = new RevocationList();
    list.add('a', 1000);
    assert.equal(list.has('a', 999), true);
    assert.equal(list.has('a', 1000), false);
    assert.equal(list.size, 0);
  });
  test('bounded: past the bound the oldest entry goes, and the eviction is counted', () => {
    const list = new RevocationList(3);
    for (const id of ['a', 'b', 'c', 'd']) list.add(id, 10_000);
    assert.equal(list.size, 3);
    assert.equal(list.has('a', 0), false);
    assert.equal(list.has('d', 0), true);
    assert.equal(list.takeEvicted(), 1);
    assert.equal(list.takeEvicted(), 0);
  });
  test('a later expiry extends an entry; an earlier one does not shorten it', () => {
    const list = new RevocationList();
    list.add('a', 1000);
    list.add('a', 500);
    assert.equal(list.has('a', 700), true);
    list.add('a', 2000);
    assert.equal(list.has('a', 1500), true);
  });
});

describe('polling the shared revocation log from the read path (frozen clock)', () => {
  const SECRET = 'test-secret-that-is-long-enough-0123456789';

  function counting(store: SessionStore) {
    const calls: number[] = [];
    let fail = false;
    const wrapped: SessionStore = {
      ...store,
      async revocationsSince(since) {
        calls.push(since);
        if (fail) throw new Error('store down');
        return store.revocationsSince(since);
      },
    };
    return { wrapped, calls, failNext: (value: boolean) => (fail = value) };
  }

  function instance(store: SessionStore) {
    const logged: string[] = [];
    const config = resolveConfig({ providers: [], secret: SECRET, sessions: { store, revocationLag: 5 }, logger: { error: (code) => void logged.push(code), warn: () => {}, debug: () => {} } }, {});
    return { config, logged };
  }

  test('at most one store round-trip per lag interval, whatever the number of reads', async () => {
    const store = memorySessionStore();
    const { wrapped, calls } = counting(store);
    const { config } = instance(wrapped);
    const t0 = 1_000_000;
    let awaited = 0;
    for (let now = t0; now < t0 + 5000; now += 5) {
      const polling = revocationsReady(config, now);
      if (polling) {
        awaited++;
        await polling;
      }
    }
    assert.equal(calls.length, 1, '1000 reads in one lag interval, one poll');
    assert.equal(awaited, 1, 'only the first read waited');
    for (let now = t0 + 5000; now < t0 + 15_000; now += 5) await revocationsReady(config, now);
    assert.equal(calls.length, 3, 'two more intervals, two more polls');
  });

  test('a revocation written by another instance is refused from the next poll on, within the lag', async () => {
    const shared = memorySessionStore();
    const { config: a } = instance(shared);
    const { config: b } = instance(shared);
    const t0 = 2_000_000;
    await revocationsReady(b, t0);
    await shared.revokeSessions(['sid-1'], new Date(Date.now() + 60_000));
    // Instance a learns at once (it revoked); b polled just before, so it waits for its next poll.
    assert.equal(revocationsReady(b, t0 + 4999), undefined);
    assert.equal(isRevoked(b, 'sid-1', Date.now()), false, 'b has not polled since');
    await revocationsReady(b, t0 + 5000);
    assert.equal(isRevoked(b, 'sid-1', Date.now()), true, 'seen after one lag');
    assert.equal(isRevoked(a, 'sid-1', Date.now()), false, 'a never polled');
  });

  test('each poll reaches back by the overlap before the newest revocation seen', async () => {
    const store = memorySessionStore();
    const { wrapped, calls } = counting(store);
    const { config } = instance(wrapped);
    await store.revokeSessions(['x'], new Date(Date.now() + 60_000));
    const newest = (await store.revocationsSince(0))[0]!.revokedAt;
    await revocationsReady(config, 0);
    await revocationsReady(config, 5000);
    assert.deepEqual(calls, [0, newest - POLL_OVERLAP_MS]);
  });

  test('after a failed poll reads do not wait; the next poll comes one lag later and heals', async () => {
    const store = memorySessionStore();
    const { wrapped, calls, failNext } = counting(store);
    const { config, logged } = instance(wrapped);
    failNext(true);
    await revocationsReady(config, 0);
    assert.deepEqual(logged, ['REVOCATION_POLL_ERROR']);
    assert.equal(revocationsReady(config, 1000), undefined);
    assert.equal(calls.length, 1, 'no retry within the lag');
    await store.revokeSessions(['y'], new Date(Date.now() + 60_000));
    failNext(false);
    const background = revocationsReady(config, 5000);
    assert.equal(background, undefined, 'the read after a failure is not held up');
    await config.sessionIndex.revocations.inFlight;
    assert.equal(isRevoked(config, 'y', Date.now()), true);
    assert.equal(config.sessionIndex.revocations.failing, false);
  });
});
