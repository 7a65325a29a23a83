// Issue 19 item 3: keyboard-only sign-in on the built-in page (Tab, type, Enter) reaches the signed-in state, and every focused control shows an outline, forced colours included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from '../helpers/chromium.js';
import { startCatalogue, type Catalogue } from './catalogue.js';

describe('issue 19 item 3: keyboard', () => {
  let catalogue: Catalogue;
  before(async () => {
    catalogue = await startCatalogue();
  });
  after(() => catalogue.close());

  for (const forcedColors of ['none', 'active'] as const) {
    test(`Tab to the credentials fields, type, Enter: signed in; focus is visible on every stop (forced colours ${forcedColors})`, async (t) => {
      const chromium = await launchChromium(t);
      if (!chromium) return;
      try {
        const context = await chromium.newContext();
        const page = await context.newPage();
        await page.emulateMedia({ forcedColors });
        await page.goto(`${catalogue.server.base}/signin?callbackUrl=${encodeURIComponent(`${catalogue.server.base}/session`)}`);
        const stops: string[] = [];
        for (let step = 0; step < 12; step++) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => {
            const element = document.activeElement as HTMLElement;
            const style = getComputedStyle(element);
            return { id: element.id, tag: element.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
          });
          stops.push(focused.id || focused.tag);
          assert.notEqual(focused.outline, 'none', `focus outline on ${focused.id || focused.tag}`);
          assert.ok(focused.width >= 2, `a 2px or wider outline on ${focused.id || focused.tag}`);
          if (focused.id === 'input-credentials-username') break;
        }
        assert.equal(stops.at(-1), 'input-credentials-username', `Tab reached the username field: ${stops.join(' → ')}`);
        await page.keyboard.type('ada');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'input-credentials-password');
        await page.keyboard.type('lovelace');
        await Promise.all([page.waitForURL(`${catalogue.server.base}/session`), page.keyboard.press('Enter')]);
        const session = JSON.parse((await page.locator('body').textContent()) ?? '{}') as { user?: { email?: string } };
        assert.equal(session.user?.email, 'ada@example.com');
      } finally {
        await chromium.close();
      }
    });
  }

  test('a failed sign-in is announced (role="alert") and marks the fields it concerns', async (t) => {
    const chromium = await launchChromium(t);
    if (!chromium) return;
    try {
      const page = await chromium.newPage();
      await page.goto(`${catalogue.server.base}/signin?error=CredentialsSignin`);
      const alert = page.getByRole('alert');
      assert.equal(await alert.count(), 1);
      const id = await alert.getAttribute('id');
      assert.ok(id, 'the banner has an id the fields point at');
      for (const field of ['input-credentials-username', 'input-credentials-password']) {
        assert.equal(await page.getAttribute(`#${field}`, 'aria-invalid'), 'true', field);
        assert.equal(await page.getAttribute(`#${field}`, 'aria-describedby'), id, field);
      }
      await page.goto(`${catalogue.server.base}/two-factor?error=InvalidTwoFactorCode`);
      assert.equal(await page.getByRole('alert').getAttribute('id'), 'two-factor-error');
      assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
      assert.equal(await page.getAttribute('#code', 'aria-describedby'), 'two-factor-error');
    } finally {
      await chromium.close();
    }
  });
});
