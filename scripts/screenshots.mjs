// Renders the built-in pages in Chromium (light/dark, 375px/1280px, a few locales, one brand theme) to docs/pages/*.png and writes docs/pages.md. Run: npm run screenshots
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/helpers/chromium.ts';
import { LOCALES, startCatalogue } from '../test/pages/catalogue.ts';

const root = new URL('..', import.meta.url).pathname;
const outDir = `${root}docs/pages`;
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!executablePath) {
  console.error('Chromium is not installed (apt-get install chromium): no screenshots taken');
  process.exit(1);
}

// A few locales: English, Japanese, German (long words), and a right-to-left one once the catalogue ships it.
// A locale whose script this machine has no font for would show boxes (tofu): it is skipped, loudly.
const hasFontFor = (tag) => spawnSync('fc-list', [`:lang=${tag}`], { encoding: 'utf8' }).stdout?.trim() !== '';
const locales = ['en', 'ja', 'de', ...LOCALES.filter((tag) => ['ar', 'he', 'fa'].includes(tag)).slice(0, 1)].filter((tag) => {
  if (!LOCALES.includes(tag)) return false;
  if (hasFontFor(tag)) return true;
  console.warn(`no font for ${tag} on this machine (fc-list :lang=${tag}): its screenshots are SKIPPED; install e.g. fonts-noto-cjk`);
  return false;
});
const NARROW = { width: 375, height: 720 };
const WIDE = { width: 1280, height: 800 };

/** [page name, viewport, colour scheme, locale, theme key] — about two dozen shots, a few hundred KB in all. */
const shots = [];
for (const locale of locales) shots.push(['signin', NARROW, 'light', locale, 'default']);
shots.push(['signin', WIDE, 'light', 'en', 'default'], ['signin', NARROW, 'dark', 'en', 'default'], ['signin', WIDE, 'dark', 'ja', 'default']);
shots.push(['signin-error', NARROW, 'light', 'en', 'default'], ['signin-error', NARROW, 'dark', 'de', 'default']);
for (const name of ['signout', 'verify-request', 'email-confirm', 'error-verification', 'error-configuration', 'signup', 'password-forgot', 'password-reset', 'two-factor', 'two-factor-error'])
  shots.push([name, NARROW, 'light', 'en', 'default']);
shots.push(['signout', NARROW, 'dark', 'ja', 'default'], ['two-factor', NARROW, 'dark', 'en', 'default']);
shots.push(['signin', NARROW, 'light', 'en', 'brand'], ['signin', NARROW, 'dark', 'en', 'brand']);

const THEMES = { default: {}, brand: { brandColor: '#0a7d33', buttonText: '#ffffff', logo: '/logo.svg' } };

mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(outDir)) if (file.endsWith('.png')) rmSync(`${outDir}/${file}`);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const rows = [];
try {
  for (const [themeKey, theme] of Object.entries(THEMES)) {
    const catalogue = await startCatalogue(theme);
    try {
      for (const [name, viewport, scheme, locale, key] of shots) {
        if (key !== themeKey || !locales.includes(locale)) continue;
        const entry = catalogue.pages.find((page) => page.name === name);
        if (!entry) throw new Error(`no page ${name}`);
        const context = await browser.newContext({ viewport, colorScheme: scheme, extraHTTPHeaders: { 'Accept-Language': locale } });
        const page = await context.newPage();
        // The brand theme's logo: a small inline SVG served for the page's /logo.svg.
        await page.route('**/logo.svg', (route) =>
          route.fulfill({
            contentType: 'image/svg+xml',
            body: '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" rx="8" fill="#0a7d33"/><text x="60" y="26" font-family="sans-serif" font-size="16" fill="#fff" text-anchor="middle">Acme</text></svg>',
          }),
        );
        await page.goto(entry.url);
        const file = `${name}-${locale}-${scheme}-${viewport.width}${key === 'default' ? '' : `-${key}`}.png`;
        await page.screenshot({ path: `${outDir}/${file}`, fullPage: true });
        await context.close();
        rows.push({ file, name, locale, scheme, width: viewport.width, key });
      }
    } finally {
      await catalogue.close();
    }
  }
} finally {
  await browser.close();
}

const caption = (row) => `\`${row.name}\` — ${row.locale}, ${row.scheme}, ${row.width}px${row.key === 'brand' ? ', theme `{ brandColor: "#0a7d33", buttonText: "#ffffff", logo }`' : ''}`;
const md = [
  '# The built-in pages',
  '',
  'What gatehouse serves when an app sets no `pages` of its own: rendered in Chromium by `npm run screenshots`',
  '(scripts/screenshots.mjs, from the same page list the accessibility test checks: test/pages/catalogue.ts).',
  "Each page follows `Accept-Language` (docs/locales.md), the browser's colour scheme unless the `theme`",
  "option fixes one, and the theme's `brandColor`, `buttonText` and `logo`. Headers and CSP: docs/security.md.",
  '',
  ...rows.flatMap((row) => [`![${caption(row).replace(/`/g, '')}](pages/${row.file})`, '', `*${caption(row)}*`, '']),
].join('\n');
writeFileSync(`${root}docs/pages.md`, md);
console.log(`${rows.length} screenshots in docs/pages/, docs/pages.md written`);
