// A refused password form marks the field its error concerns (aria-invalid, aria-describedby pointing at the role="alert"
// banner, WCAG 3.3.1); errors of the whole form mark none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../src/locales/en.js';
import { createTranslator } from '../../src/locales/index.js';
import { renderChangePasswordPage, renderResetPasswordPage } from '../../src/pages/password.js';
import { renderSignUpPage } from '../../src/pages/signup.js';

const text = createTranslator('en', en);
const base = { base: 'https://app.example/api/auth', csrfToken: 'csrf', providerId: 'password', theme: { colorScheme: 'light' as const }, text };

/** The ids of the inputs marked invalid, each checked to point at an alert that is on the page. */
function invalidFields(page: string): string[] {
  const marked = [...page.matchAll(/<input id="([^"]+)"[^>]*aria-invalid="true"[^>]*>/g)];
  for (const [tag] of marked) {
    const described = /aria-describedby="([^"]+)"/.exec(tag)?.[1];
    assert.ok(described && new RegExp(`<div class="error" id="${described}" role="alert">`).test(page), `${tag} points at the alert`);
  }
  return marked.map((m) => m[1]!);
}

test('sign-up: a weak or breached password marks the password, a taken address the email, a CAPTCHA failure neither', () => {
  const signUp = (error?: string, code?: string) => renderSignUpPage({ ...base, callbackUrl: '/', fields: {}, minLength: 8, signInUrl: '/signin', error, code });
  assert.deepEqual(invalidFields(signUp('WeakPassword', 'TooShort')), ['signup-password']);
  assert.deepEqual(invalidFields(signUp('PasswordBreached')), ['signup-password']);
  assert.deepEqual(invalidFields(signUp('EmailInUse')), ['signup-email']);
  assert.deepEqual(invalidFields(signUp('CaptchaFailed')), []);
  assert.deepEqual(invalidFields(signUp()), []);
});

test('change and reset: a wrong current password marks it, a weak new one the new field', () => {
  const change = (error?: string, code?: string) => renderChangePasswordPage({ ...base, callbackUrl: '/', minLength: 8, error, code });
  assert.deepEqual(invalidFields(change('CredentialsSignin', 'InvalidCredentials')), ['change-current']);
  assert.deepEqual(invalidFields(change('WeakPassword', 'TooShort')), ['change-new']);
  assert.deepEqual(invalidFields(renderResetPasswordPage({ ...base, token: 't', minLength: 8, error: 'WeakPassword', code: 'TooShort' })), ['reset-password']);
  assert.deepEqual(invalidFields(renderResetPasswordPage({ ...base, token: 't', minLength: 8, error: 'Verification' })), []);
});
