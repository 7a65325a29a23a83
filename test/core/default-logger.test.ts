// The default logger (no `logger` option) writes each warning's guidance, not only its code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/core/logger.js';
import Credentials from '../../src/providers/credentials.js';

/** Runs `fn` with console.warn captured, each call's arguments formatted as the console would join them. */
function captureWarnings(fn: () => void): string[] {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return lines;
}

describe('default logger', () => {
  test('a new app (no secret, no url, debug on) is told what to do on each warning line', () => {
    const lines = captureWarnings(() => {
      resolveConfig({ debug: true, providers: [Credentials({ authorize: () => null })] }, { NODE_ENV: 'development' });
    });
    const line = (code: string) => lines.find((l) => l.startsWith(`[gatehouse][warn][${code}] `));
    assert.match(line('NO_SECRET') ?? '', /^\[gatehouse\]\[warn\]\[NO_SECRET\] No secret configured: .*Set AUTH_SECRET before production\.$/);
    assert.match(line('NEXTAUTH_URL') ?? '', /Set NEXTAUTH_URL, `trustHost` behind a proxy you control, or `allowedHosts`\.$/);
    assert.match(line('DEBUG_ENABLED') ?? '', /Turn it off in production/);
    assert.equal(lines.length, 3, lines.join('\n'));
  });

  test('other metadata follows the guidance, redacted; a warning without metadata is its code alone', () => {
    const logger = createLogger(undefined, false);
    const lines = captureWarnings(() => {
      logger.warn('OAUTH_INSECURE_HTTP', { provider: 'corp', message: 'tokens cross the network unencrypted.', token: 'abc' });
      logger.warn('OAUTH_LOGOUT_HINT_TOO_LARGE', { provider: 'corp' });
      logger.warn('BARE');
    });
    assert.deepEqual(lines, [
      '[gatehouse][warn][OAUTH_INSECURE_HTTP] tokens cross the network unencrypted. {"provider":"corp","token":"[redacted]"}',
      '[gatehouse][warn][OAUTH_LOGOUT_HINT_TOO_LARGE] {"provider":"corp"}',
      '[gatehouse][warn][BARE]',
    ]);
  });
});
