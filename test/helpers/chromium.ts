// Debian's Chromium driven by playwright-core (never a downloaded browser); a loud skip when it is absent, a failure in CI.
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export function requireServices(): boolean {
  return process.env.GATEHOUSE_REQUIRE_SERVICES === '1';
}

/** Launches Chromium (with extra `args`, e.g. `--host-resolver-rules`), or skips the test with a banner (fails instead when GATEHOUSE_REQUIRE_SERVICES=1). */
export async function launchChromium(t: TestContext, options: { args?: readonly string[] } = {}): Promise<Browser | undefined> {
  const executablePath = CANDIDATES.find((path) => existsSync(path));
  if (!executablePath) {
    const message = 'Chromium is not installed (apt-get install chromium): browser tests SKIPPED';
    if (requireServices()) throw new Error(message);
    console.warn(`\n${'!'.repeat(72)}\n!! ${message}\n${'!'.repeat(72)}\n`);
    t.skip(message);
    return undefined;
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}

/** A laptop's or phone's built-in authenticator: CTAP2, internal transport, resident keys, user verification that passes. */
export const PLATFORM_AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;

/** A page in a context of its own (its own cookies) with a CDP virtual authenticator (`options`: the WebAuthn domain's VirtualAuthenticatorOptions). */
export async function pageWithAuthenticator(browser: Browser, options: Record<string, unknown> = PLATFORM_AUTHENTICATOR): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await (await browser.newContext()).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: options as never });
  return { page, cdp, authenticatorId };
}

/** Collects the page's console messages about Content Security Policy from now on: a test asserts the list stays empty. */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
