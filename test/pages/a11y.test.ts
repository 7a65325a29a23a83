// Issue 19 item 3: axe-core finds nothing on any built-in page, in every shipped locale, light, dark, forced colours and under a brand theme, in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { ENGLISH } from '../../src/locales/index.js';
import { AUTO_SUBMIT_SCRIPT, renderRepostPage } from '../../src/pages/repost.js';
import { launchChromium } from '../helpers/chromium.js';
import { axeViolations } from './axe.js';
import { LOCALES, startCatalogue, type Catalogue } from './catalogue.js';

/** How a run looks at the pages: the theme option and what the browser emulates. */
interface Variant {
  name: string;
  theme: { colorScheme?: 'auto' | 'dark' | 'light'; brandColor?: string; buttonText?: string; logo?: string };
  media?: { colorScheme?: 'light' | 'dark'; forcedColors?: 'active' | 'none' };
}

const VARIANTS: Variant[] = [
  { name: 'auto theme, browser prefers dark', theme: {}, media: { colorScheme: 'dark' } },
  { name: "theme colorScheme 'dark'", theme: { colorScheme: 'dark' } },
  { name: "theme colorScheme 'light', browser prefers dark", theme: { colorScheme: 'light' }, media: { colorScheme: 'dark' } },
  { name: 'forced colours (Windows high contrast)', theme: {}, media: { forcedColors: 'active' } },
  { name: 'forced colours, dark', theme: { colorScheme: 'dark' }, media: { forcedColors: 'active', colorScheme: 'dark' } },
  { name: 'brand theme (brandColor, buttonText)', theme: { brandColor: '#0a7d33', buttonText: '#ffffff' } },
  { name: 'brand theme, dark', theme: { brandColor: '#0a7d33', buttonText: '#ffffff', colorScheme: 'dark' } },
];

function report(violations: Awaited<ReturnType<typeof axeViolations>>): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`).join('\n');
}

async function checkAll(chromium: Browser, catalogue: Catalogue, options: BrowserContextOptions, media: Variant['media'] = {}): Promise<string[]> {
  const context = await chromium.newContext(options);
  const page = await context.newPage();
  await page.emulateMedia(media);
  const failures: string[] = [];
  try {
    for (const entry of catalogue.pages) {
      if (entry.cookies) await context.addCookies([...entry.cookies]);
      const response = await page.goto(entry.url);
      assert.ok(response, entry.name);
      assert.equal(new URL(page.url()).pathname, new URL(entry.url).pathname, `${entry.name}: shown, not redirected`);
      const found = await axeViolations(page);
      if (found.length > 0) failures.push(`${entry.name}:\n${report(found)}`);
      if (entry.cookies) await context.clearCookies();
    }
  } finally {
    await context.close();
  }
  return failures;
}

describe('issue 19 item 3: axe-core on every built-in page', () => {
  let catalogue: Catalogue;
  before(async () => {
    catalogue = await startCatalogue();
  });
  after(() => catalogue.close());

  for (const locale of LOCALES) {
    test(`every page in ${locale}: 0 violations, <html lang="${locale}">`, async (t) => {
      const chromium = await launchChromium(t);
      if (!chromium) return;
      try {
        const context = await chromium.newContext({ extraHTTPHeaders: { 'Accept-Language': locale } });
        const page = await context.newPage();
        const failures: string[] = [];
        for (const entry of catalogue.pages) {
          if (entry.cookies) await context.addCookies([...entry.cookies]);
          await page.goto(entry.url);
          assert.equal(new URL(page.url()).pathname, new URL(entry.url).pathname, `${entry.name}: shown, not redirected`);
          assert.equal(await page.getAttribute('html', 'lang'), locale, `${entry.name}: lang`);
          const found = await axeViolations(page);
          if (found.length > 0) failures.push(`${entry.name}:\n${report(found)}`);
          if (entry.cookies) await context.clearCookies();
        }
        assert.equal(failures.join('\n\n'), '');
      } finally {
        await chromium.close();
      }
    });
  }

  test('the form_post re-post page (its auto-submit script left out, so it stays put): 0 violations', async (t) => {
    const chromium = await launchChromium(t);
    if (!chromium) return;
    try {
      const page = await chromium.newPage();
      const markup = renderRepostPage('https://app.example/api/auth/callback/apple', new URLSearchParams({ code: 'c', state: 's' }), ENGLISH);
      await page.setContent(markup.replace(`<script>${AUTO_SUBMIT_SCRIPT}</script>`, ''));
      assert.equal(report(await axeViolations(page)), '');
    } finally {
      await chromium.close();
    }
  });
});

describe('issue 19 item 3: axe-core under dark mode, forced colours and a brand theme', () => {
  for (const variant of VARIANTS) {
    test(`${variant.name}: 0 violations on every page`, async (t) => {
      const chromium = await launchChromium(t);
      if (!chromium) return;
      const catalogue = await startCatalogue(variant.theme);
      try {
        const failures = await checkAll(chromium, catalogue, {}, variant.media);
        assert.equal(failures.join('\n\n'), '');
      } finally {
        await catalogue.close();
        await chromium.close();
      }
    });
  }
});
