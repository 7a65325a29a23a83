// The error model: one table entry per code, lookups that only see own properties, class names that match their codes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as errors from '../../src/errors.js';
import { ERRORS, errorPageCode, isErrorCode, signinPageCode, type ErrorCode } from '../../src/errors.js';
import { ENGLISH } from '../../src/locales/index.js';
import { errorView as errorViewIn, formMessage as formMessageIn, signinMessage as signinMessageIn } from '../../src/pages/messages.js';

const DEFAULT_SIGNIN_MESSAGE = ENGLISH.t('signin.error.default');
const errorView = (value: string) => errorViewIn(ENGLISH, value);
const formMessage = (error: string, code?: string) => formMessageIn(ENGLISH, error, code);
const signinMessage = (value: string) => signinMessageIn(ENGLISH, value);

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

describe('error model', () => {
  test('every code has one entry: the sign-in codes a banner of their own, the error-page codes a view with the entry’s status', () => {
    const banners = new Set<string>();
    const formBanners = new Set<string>();
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const rule = ERRORS[code];
      if (rule.page === 'form') {
        // The Password provider's codes: a banner on its forms; GET `error` knows them as v4 knows an app's own codes (not at all).
        assert.equal(signinPageCode(code), undefined);
        assert.equal(errorPageCode(code), 'Default');
        assert.notEqual(formMessage(code), DEFAULT_SIGNIN_MESSAGE, `${code} has a form banner`);
        assert.equal(formMessage('CredentialsSignin', code), formMessage(code), `${code} beside CredentialsSignin`);
        formBanners.add(formMessage(code));
      } else if (rule.page === 'signin') {
        assert.equal(signinPageCode(code), code);
        assert.notEqual(signinMessage(code), DEFAULT_SIGNIN_MESSAGE, `${code} has a banner`);
        banners.add(signinMessage(code));
      } else {
        assert.equal(signinPageCode(code), undefined);
        assert.equal(errorPageCode(code), code);
        assert.equal(errorPageCode(code.toUpperCase()), code, 'v4 matches error-page codes case-insensitively');
        assert.equal(errorView(code).status, rule.status);
      }
    }
    assert.equal(banners.size, 9, 'nine distinct sign-in messages (TwoFactorExpired the eighth, PasskeySignin the ninth)');
    assert.equal(formBanners.size, 8, 'eight distinct form messages');
    assert.deepEqual([errorView('Configuration').status, errorView('AccessDenied').status, errorView('Verification').status, errorView('Default').status], [500, 403, 403, 200]);
  });

  test('Object.prototype names are unknown codes everywhere: the default page, the default banner, no sign-in redirect', () => {
    const unknown = errorView('NoSuchCode');
    for (const name of PROTOTYPE_NAMES) {
      assert.equal(isErrorCode(name), false, name);
      assert.equal(signinPageCode(name), undefined, name);
      assert.equal(errorPageCode(name), 'Default', name);
      assert.deepEqual(errorView(name), unknown, name);
      assert.equal(signinMessage(name), DEFAULT_SIGNIN_MESSAGE, name);
    }
  });

  test('each error class is named for its code (`<code>Error`), and the class name says the same', () => {
    const classes = (Object.entries(errors) as Array<[string, unknown]>).filter((entry) => typeof entry[1] === 'function' && (entry[1] as { prototype: unknown }).prototype instanceof errors.AuthError);
    assert.equal(classes.length, 24, 'one class per code gatehouse throws');
    for (const [exported, Class] of classes) {
      const instance = new (Class as unknown as new (arg: unknown) => errors.AuthError)(exported === 'AccountLockedError' ? 60 : 1);
      assert.equal(instance.name, exported);
      assert.equal(`${instance.code}Error`, exported);
      assert.ok(isErrorCode(instance.code));
    }
  });

  test('a provider breaking the protocol is a coded OAuthProtocolError, not a TypeError (which means misconfiguration)', () => {
    const error = new errors.OAuthProtocolError('OAUTH_USERINFO_HTTP_ERROR', 'userinfo endpoint answered HTTP 500');
    assert.ok(!(error instanceof TypeError));
    assert.equal(error.code, 'OAUTH_USERINFO_HTTP_ERROR');
    assert.equal(error.name, 'OAuthProtocolError');
  });
});
