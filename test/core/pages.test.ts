// Built-in pages: every interpolated value escaped, every v4 error code has a message, theme and pages.* honored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Credentials from '../../src/providers/credentials.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer } from '../helpers/server.js';

const V4_CODES = [
  'Signin',
  'OAuthSignin',
  'OAuthCallback',
  'OAuthCreateAccount',
  'EmailCreateAccount',
  'Callback',
  'OAuthAccountNotLinked',
  'EmailSignin',
  'CredentialsSignin',
  'SessionRequired',
  'Default',
  'Configuration',
  'AccessDenied',
  'Verification',
];
const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>'\``;

describe('built-in pages', () => {
  test('sign-in page: one form per provider with declared fields, self-contained, hostile values escaped', async () => {
    const server = await startServer({
      ...credentialsConfig(),
      providers: [
        Credentials({
          id: 'credentials',
          name: `Evil ${HOSTILE}`,
          credentials: { [`user${HOSTILE}`]: { label: `Label ${HOSTILE}`, type: 'text', placeholder: HOSTILE, onfocus: 'alert(3)' } },
          authorize: () => null,
        }),
      ],
    });
    try {
      const response = await new Browser().fetch(`${server.base}/signin?callbackUrl=${encodeURIComponent(`/x${HOSTILE}`)}&error=${encodeURIComponent(HOSTILE)}&email=${encodeURIComponent(HOSTILE)}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /text\/html/);
      const html = await response.text();
      assert.ok(!html.includes('<script>'), 'no script element');
      assert.ok(!/<img src=x/i.test(html), 'no injected img');
      assert.ok(!html.includes('onfocus'), 'unknown input attributes are not rendered');
      assert.ok(!/\ssrc="https?:/.test(html) && !/href="https?:\/\/(?!127\.0\.0\.1)/.test(html), 'no remote fetches');
      assert.match(html, /<form action="[^"]+\/callback\/credentials" method="POST"><input type="hidden" name="csrfToken" value="[0-9a-f]{64}">/);
      assert.match(html, /<label for="input-credentials-user[^"]*">Label &quot;&gt;&lt;script&gt;/);
      assert.match(html, /role="alert"><p>Unable to sign in\.<\/p>/, 'an unknown code shows the default message, not the raw text');
      assert.match(html, /<html lang="en" dir="ltr">/);
    } finally {
      await server.close();
    }
  });

  test('every v4 error code renders a message (sign-in banner or error page)', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const browser = new Browser();
      const messages = new Set<string>();
      for (const code of V4_CODES) {
        let response = await browser.fetch(`${server.base}/error?error=${code}`);
        if (response.status === 302) response = await browser.fetch(response.headers.get('location')!);
        const html = await response.text();
        const message = /<p>([^<]+)<\/p>/.exec(html)?.[1];
        assert.ok(message && message.length > 5, `${code} has a message`);
        if (code !== 'Default' && code !== 'Signin') messages.add(`${code}:${message}`);
      }
      assert.ok(messages.size >= 10);
    } finally {
      await server.close();
    }
  });

  test('theme: colour scheme, brand colour and logo; unsafe values dropped', async () => {
    const server = await startServer(credentialsConfig({ theme: { colorScheme: 'dark', brandColor: '#ff0066', logo: 'https://cdn.example.com/logo.png' } }));
    const unsafe = await startServer(credentialsConfig({ theme: { brandColor: 'red;}</style><script>x()</script>', logo: 'javascript:alert(1)' } }));
    try {
      const html = await (await fetch(`${server.base}/signin`)).text();
      assert.match(html, /<body class="dark">/);
      assert.match(html, /--brand:#ff0066/);
      assert.match(html, /<img class="logo" src="https:\/\/cdn\.example\.com\/logo\.png" alt="">/);
      const bad = await (await fetch(`${unsafe.base}/signin`)).text();
      assert.ok(!bad.includes('<script>') && !bad.includes('javascript:'));
    } finally {
      await server.close();
      await unsafe.close();
    }
  });

  test('pages.* overrides redirect with encoded parameters', async () => {
    const server = await startServer(credentialsConfig({ pages: { signIn: '/login', error: '/autherr', signOut: '/bye', verifyRequest: '/check' } }));
    try {
      const browser = new Browser();
      const signin = await browser.fetch(`${server.base}/signin?callbackUrl=%2Fprotected&error=SessionRequired`);
      assert.equal(signin.headers.get('location'), `/login?callbackUrl=${encodeURIComponent(`${server.origin}/protected`)}&error=SessionRequired`);
      assert.equal((await browser.fetch(`${server.base}/error?error=AccessDenied`)).headers.get('location'), '/autherr?error=AccessDenied');
      assert.equal((await browser.fetch(`${server.base}/error?error=${encodeURIComponent('a&b=<c>')}`)).headers.get('location'), '/autherr?error=a%26b%3D%3Cc%3E');
      assert.equal((await browser.fetch(`${server.base}/signout`)).headers.get('location'), '/bye');
      assert.equal((await browser.fetch(`${server.base}/verify-request`)).headers.get('location'), '/check');
    } finally {
      await server.close();
    }
  });
});
