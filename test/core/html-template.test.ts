// The pages' `html` tag escapes every interpolation unless it is marked safe, and every page builds its markup with it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { html, raw, SafeHtml } from '../../src/pages/html.js';
import { renderSigninPage } from '../../src/pages/signin.js';
import { ENGLISH } from '../../src/locales/index.js';

const HOSTILE = `"><script>alert(1)</script>'\`&`;
const ESCAPED = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;&#96;&amp;';

describe('html template', () => {
  test('interpolations are escaped; fragments and raw markup are inserted once, arrays joined, nullish empty', () => {
    const inner = html`<b>${HOSTILE}</b>`;
    assert.ok(inner instanceof SafeHtml);
    assert.equal(inner.value, `<b>${ESCAPED}</b>`);
    assert.equal(html`<p title="${HOSTILE}">${inner}</p>`.value, `<p title="${ESCAPED}"><b>${ESCAPED}</b></p>`, 'no double escaping');
    assert.equal(html`${[html`<i>a</i>`, '<x>', 1]}`.value, '<i>a</i>&lt;x&gt;1');
    assert.equal(html`[${undefined}${null}]`.value, '[]');
    assert.equal(html`${raw('<style>a>b{}</style>')}`.value, '<style>a>b{}</style>');
    assert.equal(html`${'<a>'}`.value, '&lt;a&gt;', 'a plain string is text, never markup');
  });

  test('every page module builds markup with html`…`: no escapeHtml calls, no markup in plain template literals', () => {
    const dir = new URL('../../src/pages/', import.meta.url);
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && name !== 'html.ts')) {
      const code = readFileSync(new URL(file, dir), 'utf8');
      if (/\bescapeHtml\(/.test(code)) offenders.push(`${file}: escapeHtml`);
      // A template literal that opens with a tag, not preceded by the html tag.
      for (const match of code.matchAll(/(\w*)`<[a-z!/]/gi)) if (match[1] !== 'html') offenders.push(`${file}: ${match[0]}`);
      // Markup in a plain string literal.
      for (const match of code.matchAll(/'<[a-z!/][^']*'/gi)) offenders.push(`${file}: ${match[0].slice(0, 40)}`);
    }
    assert.deepEqual(offenders, []);
  });

  test('the sign-in page looks notices up by own property: ?notice=constructor shows none', () => {
    const page = (notice: string) => renderSigninPage({ base: '/api/auth', providers: [], csrfToken: 'c', callbackUrl: '/', notice, theme: {}, text: ENGLISH });
    assert.match(page('verified'), /<div class="notice" role="status"><p>Your email address is confirmed\./);
    for (const name of ['constructor', '__proto__', 'toString']) assert.ok(!page(name).includes('class="notice"'), name);
  });
});
