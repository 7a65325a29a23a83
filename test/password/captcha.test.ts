// Turnstile, hCaptcha and reCAPTCHA siteverify helpers against a loopback stand-in of the siteverify format.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { captchaToken, hcaptcha, recaptcha, turnstile } from '../../src/services/captcha.js';
import { startSiteverify, type StandIn } from '../helpers/standins.js';

const SECRET = 'captcha-secret';
const request = new Request('http://app.example/api/auth/signup/password', { method: 'POST' });
let api: StandIn;
const tokens: Record<string, { hostname?: string; action?: string; score?: number }> = {};

before(async () => {
  api = await startSiteverify(SECRET, tokens);
});
after(() => api.close());

function issue(entry: { hostname?: string; action?: string; score?: number } = {}): string {
  const token = `tok-${crypto.randomUUID()}`;
  tokens[token] = entry;
  return token;
}

test('each helper posts secret and response form-encoded and passes a good token once', async () => {
  for (const make of [turnstile, hcaptcha, recaptcha]) {
    const verify = make({ secret: SECRET, endpoint: api.url });
    const token = issue();
    api.requests.length = 0;
    assert.equal(await verify(token, request), true, make.name);
    const form = new URLSearchParams(api.requests[0]!.body);
    assert.deepEqual([form.get('secret'), form.get('response')], [SECRET, token]);
    assert.equal(await verify(token, request), false, `${make.name}: a spent token passed again`);
    assert.equal(await verify('made-up', request), false);
    assert.equal(await verify('', request), false);
  }
});

test('a wrong secret, hostname or action refuses', async () => {
  assert.equal(await turnstile({ secret: 'wrong', endpoint: api.url })(issue(), request), false);
  assert.equal(await turnstile({ secret: SECRET, endpoint: api.url, hostname: 'app.example' })(issue({ hostname: 'evil.example' }), request), false);
  assert.equal(await turnstile({ secret: SECRET, endpoint: api.url, hostname: 'app.example' })(issue(), request), true);
  assert.equal(await turnstile({ secret: SECRET, endpoint: api.url, action: 'signup' })(issue({ action: 'login' }), request), false);
  assert.equal(await turnstile({ secret: SECRET, endpoint: api.url, action: 'signup' })(issue({ action: 'signup' }), request), true);
});

test('reCAPTCHA v3 scores below minScore refuse; v2 answers have no score and pass', async () => {
  const verify = recaptcha({ secret: SECRET, endpoint: api.url, minScore: 0.7 });
  assert.equal(await verify(issue({ score: 0.3 }), request), false);
  assert.equal(await verify(issue({ score: 0.9 }), request), true);
  assert.equal(await verify(issue(), request), true);
});

test('remoteip is sent when the app says how to find it', async () => {
  api.requests.length = 0;
  await hcaptcha({ secret: SECRET, endpoint: api.url, remoteIp: () => '203.0.113.7' })(issue(), request);
  assert.equal(new URLSearchParams(api.requests[0]!.body).get('remoteip'), '203.0.113.7');
});

test('no answer, a 5xx or garbage refuses (fails closed)', async () => {
  const garbage: typeof fetch = async () => new Response('not json', { status: 200 });
  assert.equal(await turnstile({ secret: SECRET, endpoint: 'http://127.0.0.1:1/' })(issue(), request), false);
  assert.equal(await turnstile({ secret: SECRET, fetch: garbage })(issue(), request), false);
  assert.equal(await turnstile({ secret: SECRET, fetch: async () => new Response('{"success":true}', { status: 500 }) })(issue(), request), false);
});

test('the token is read from gatehouse’s field or the widget’s own', () => {
  assert.equal(captchaToken({ captchaToken: 'a' }), 'a');
  assert.equal(captchaToken({ 'cf-turnstile-response': 'b' }), 'b');
  assert.equal(captchaToken({ 'h-captcha-response': 'c' }), 'c');
  assert.equal(captchaToken({ 'g-recaptcha-response': 'd' }), 'd');
  assert.equal(captchaToken({ captchaToken: 42 }), '');
  assert.throws(() => turnstile({ secret: '' }), TypeError);
});
