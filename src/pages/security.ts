// The built-in account-security page (GET `security`): the authenticator app (enrol with a QR code, backup codes, turn off), the user's passkeys, and the re-authentication a change needs.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { hidden, input } from './form.js';
import { html, raw, renderDocument, type SafeHtml } from './html.js';
import { PASSKEY_REAUTH_SCRIPT, PASSKEY_REGISTER_SCRIPT } from './passkey-script.js';
import { langField } from './text.js';

export interface SecurityPasskey {
  id: string;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface SecurityPageInput {
  /** The auth API's base URL. */
  base: string;
  csrfToken: string;
  /** `?error=`: a code from the routes the page posts to; unknown values show no message. */
  error?: string | undefined;
  /** `?done=`: what the last form did (`disabled`, `renamed`, …); unknown values show nothing. */
  done?: string | undefined;
  /** The sign-in is recent enough for changes (`twoFactor.recentSignIn`); otherwise the page asks for a factor first. */
  recent: boolean;
  /** What the re-authentication form offers: the password (a Password or Credentials provider), a TOTP code (the factor is on), a passkey (the Passkey provider's id, when the user has one). */
  reauthenticate: { password: boolean; code: boolean; passkey?: string | undefined };
  /** The TOTP factor, when `twoFactor` is configured. */
  twoFactor?: { enabled: boolean; backupCodesLeft: number } | undefined;
  /** Right after `two-factor/enable`: the key to add to the app, shown on this answer only. */
  enrolment?: { secret: string; qrSvg: string } | undefined;
  /** Right after `two-factor/verify` or `two-factor/backup-codes`: the ten codes, shown on this answer only. */
  backupCodes?: readonly string[] | undefined;
  /** The user's passkeys, when a Passkey provider is configured (its id for registration). */
  passkeys?: { provider: string; list: readonly SecurityPasskey[] } | undefined;
  theme: Theme;
  text: Translator;
}

/** The message of each error code the page's forms can come back with. */
function errorMessage(text: Translator, error: string): string | undefined {
  const messages: Readonly<Record<string, () => string>> = {
    InvalidTwoFactorCode: () => text.t('twoFactor.invalidCode'),
    RecentSignInRequired: () => text.t('security.error.recent'),
    CredentialsSignin: () => text.t('security.error.password'),
    FactorRequired: () => text.t('security.error.factorRequired'),
    RateLimited: () => text.t('signin.error.rateLimited'),
    AccountLocked: () => text.t('form.error.accountLocked'),
    MissingCSRF: () => text.t('security.error.formExpired'),
    TwoFactorAlreadyEnabled: () => text.t('security.error.outdated'),
    TwoFactorNotEnabled: () => text.t('security.error.outdated'),
    TwoFactorNotStarted: () => text.t('security.error.outdated'),
    PasskeyNotFound: () => text.t('security.error.outdated'),
    InvalidPasskey: () => text.t('security.error.passkey'),
    InvalidChallenge: () => text.t('security.error.passkey'),
    PasskeyExists: () => text.t('security.error.passkeyExists'),
    PasskeySignin: () => text.t('security.error.passkeyReauth'),
  };
  return Object.hasOwn(messages, error) ? messages[error]!() : undefined;
}

const DONE = ['enabled', 'disabled', 'reauthenticated', 'renamed', 'deleted', 'added'] as const;

function doneMessage(text: Translator, done: string | undefined): string | undefined {
  const known = DONE.find((name) => name === done);
  return known === undefined ? undefined : text.t(`security.done.${known}`);
}

/** The codes the routes check: six digits (a space allowed in the middle, as apps show them). */
function codeField(id: string, label: string, { invalid = false, required = true } = {}): SafeHtml {
  return input(id, label, {
    name: 'code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9 ]{6,7}',
    maxlength: '7',
    required,
    ...(invalid ? { 'aria-invalid': 'true', 'aria-describedby': 'security-error' } : {}),
  });
}

/** A change of an active factor takes a code from the app or, the phone lost, a backup code (the routes read whichever is filled). */
function freshFactorFields(id: string, text: Translator): SafeHtml {
  return html`${codeField(`${id}-code`, text.t('security.code'), { required: false })}${input(`${id}-backup`, text.t('twoFactor.backupCode'), { name: 'backupCode', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '16' })}`;
}

export function renderSecurityPage(page: SecurityPageInput): string {
  const { text, base } = page;
  const fields = html`${hidden('csrfToken', page.csrfToken)}${langField(text)}`;
  const message = page.error === undefined ? undefined : errorMessage(text, page.error);
  const banner = message === undefined ? '' : html`<div class="error" id="security-error" role="alert"><p>${message}</p></div>`;
  const done = doneMessage(text, page.done);
  const notice = done === undefined ? '' : html`<div class="notice" role="status"><p>${done}</p></div>`;
  const codeRefused = page.error === 'InvalidTwoFactorCode';
  const dates = new Intl.DateTimeFormat(text.locale, { dateStyle: 'medium', timeZone: 'UTC' });

  // Asked before any change when the sign-in is older than the window: the routes refuse with RecentSignInRequired otherwise.
  const reauth = page.recent ? '' : html`${reauthSection(page, fields)}<hr class="divider">`;

  const twoFactor = page.twoFactor === undefined ? '' : twoFactorSection(page, page.twoFactor, fields, codeRefused);
  const passkeys = page.passkeys === undefined ? '' : passkeySection(page, page.passkeys, fields, dates);

  const body = html`<h1>${text.t('security.heading')}</h1>${banner}${notice}${reauth}${twoFactor}${passkeys}`;
  return renderDocument({ title: text.t('security.title'), theme: page.theme, body, text });
}

/**
 * The re-authentication: the password and/or a TOTP code in one form, a passkey in another (hidden
 * until its script finds WebAuthn's JSON helpers, which fill in `passkey` and post the form), and
 * signing in again, which always works (an OAuth-only account has nothing to re-prove here: GET
 * `signin` comes back to this page).
 */
function reauthSection(page: SecurityPageInput, fields: SafeHtml): SafeHtml {
  const { text, base } = page;
  const { password, code, passkey } = page.reauthenticate;
  const signInAgain = html`<p class="links"><a href="${`${base}/signin?callbackUrl=${encodeURIComponent(`${base}/security`)}`}">${text.t('security.reauth.signInAgain')}</a></p>`;
  const factors =
    password || code
      ? html`<form action="${`${base}/reauthenticate`}" method="POST">${fields}${
          password
            ? input('reauth-password', text.t('common.password'), {
                type: 'password',
                name: 'password',
                autocomplete: 'current-password',
                required: !code,
                ...(page.error === 'CredentialsSignin' ? { 'aria-invalid': 'true', 'aria-describedby': 'security-error' } : {}),
              })
            : ''
        }${
          code
            ? input('reauth-code', text.t(password ? 'security.reauth.orCode' : 'security.code'), {
                type: 'text',
                name: 'code',
                inputmode: 'numeric',
                autocomplete: 'one-time-code',
                pattern: '[0-9 ]{6,7}',
                maxlength: '7',
                required: !password,
              })
            : ''
        }<button type="submit">${text.t('security.reauth.submit')}</button></form>`
      : '';
  const withPasskey =
    passkey === undefined
      ? ''
      : html`<form id="reauth-passkey" action="${`${base}/reauthenticate`}" method="POST" data-options="${`${base}/webauthn-options/${passkey}?action=authenticate`}" hidden>${fields}${hidden('provider', passkey)}${hidden('passkey', '')}<div class="error" id="reauth-passkey-refused" role="alert" hidden><p>${text.t('security.reauth.passkeyRefused')}</p></div><button${password || code ? raw(' class="secondary"') : ''} type="submit">${text.t('security.reauth.passkey')}</button></form><script>${raw(PASSKEY_REAUTH_SCRIPT)}</script>`;
  return html`<section aria-labelledby="reauth-heading"><h2 id="reauth-heading">${text.t('security.reauth.heading')}</h2><p>${text.t('security.reauth.lead')}</p>${factors}${withPasskey}${signInAgain}</section>`;
}

function twoFactorSection(page: SecurityPageInput, status: { enabled: boolean; backupCodesLeft: number }, fields: SafeHtml, codeRefused: boolean): SafeHtml {
  const { text, base } = page;
  const heading = html`<h2 id="totp-heading">${text.t('security.totp.heading')}</h2>`;
  // Shown once, on the answer of the POST that made them: never in a URL, never stored in the clear.
  if (page.backupCodes !== undefined) {
    return html`<section aria-labelledby="totp-heading">${heading}<h3>${text.t('security.codes.heading')}</h3><p>${text.t('security.codes.lead')}</p><ul class="codes">${page.backupCodes.map(
      (code) => html`<li><code>${code}</code></li>`,
    )}</ul><a class="button" href="${`${base}/security`}">${text.t('security.codes.done')}</a></section>`;
  }
  if (page.enrolment !== undefined) {
    // The SVG is uqr's rendering of our own otpauth URI (core/qr-svg.ts): paths and rects, no script, no style attribute.
    // Hidden from screen readers, which get the same key as text just below.
    const qr = raw(page.enrolment.qrSvg);
    return html`<section aria-labelledby="totp-heading">${heading}<p>${text.t('security.enrol.scan')}</p><div class="qr" aria-hidden="true">${qr}</div><p>${text.t('security.enrol.manual')}</p><p><code id="totp-secret">${page.enrolment.secret}</code></p><form action="${`${base}/two-factor/verify`}" method="POST">${fields}${codeField('enrol-code', text.t('security.code'), { invalid: codeRefused })}<button type="submit">${text.t('security.enrol.confirm')}</button></form></section>`;
  }
  if (!status.enabled) {
    const start = page.recent ? html`<form action="${`${base}/two-factor/enable`}" method="POST">${fields}<button type="submit">${text.t('security.totp.enable')}</button></form>` : '';
    return html`<section aria-labelledby="totp-heading">${heading}<p>${text.t('security.totp.off')}</p>${start}</section>`;
  }
  const changes = page.recent
    ? html`<form action="${`${base}/two-factor/backup-codes`}" method="POST">${fields}${freshFactorFields('regenerate', text)}<button class="secondary" type="submit">${text.t('security.totp.regenerate')}</button></form><form action="${`${base}/two-factor/disable`}" method="POST">${fields}${freshFactorFields('disable', text)}<button class="secondary" type="submit">${text.t('security.totp.disable')}</button></form>`
    : '';
  return html`<section aria-labelledby="totp-heading">${heading}<p>${text.t('security.totp.on')} ${text.plural('security.totp.codesLeft', status.backupCodesLeft)}</p>${changes}</section>`;
}

function passkeySection(page: SecurityPageInput, passkeys: NonNullable<SecurityPageInput['passkeys']>, fields: SafeHtml, dates: Intl.DateTimeFormat): SafeHtml {
  const { text, base } = page;
  const items = passkeys.list.map((key, index) => {
    const name = key.name ?? text.t('security.passkeys.unnamed');
    const used = key.lastUsedAt === null ? text.t('security.passkeys.neverUsed') : text.t('security.passkeys.lastUsed', { date: dates.format(key.lastUsedAt) });
    const remove = page.recent
      ? html`<form action="${`${base}/passkeys/delete`}" method="POST">${fields}${hidden('id', key.id)}<button class="secondary" type="submit">${text.t('security.passkeys.delete', { name })}</button></form>`
      : '';
    return html`<li><p><strong>${name}</strong><br>${text.t('security.passkeys.added', { date: dates.format(key.createdAt) })} · ${used}</p><form action="${`${base}/passkeys/rename`}" method="POST">${fields}${hidden('id', key.id)}${input(`passkey-name-${index}`, text.t('security.passkeys.newName', { name }), { name: 'name', type: 'text', maxlength: '64', required: true, autocomplete: 'off' })}<button class="secondary" type="submit">${text.t('security.passkeys.rename')}</button></form>${remove}</li>`;
  });
  const list = passkeys.list.length === 0 ? html`<p>${text.t('security.passkeys.none')}</p>` : html`<ul class="passkeys">${items}</ul>`;
  // Hidden until the script finds WebAuthn's JSON helpers; it posts the registration with fetch and comes back here.
  const add = !page.recent
    ? ''
    : html`<form id="passkey-add" action="${`${base}/callback/${passkeys.provider}`}" method="POST" data-options="${`${base}/webauthn-options/${passkeys.provider}?action=register`}" data-return="${`${base}/security`}" hidden>${fields}${input('passkey-add-name', text.t('security.passkeys.addName'), { name: 'name', type: 'text', maxlength: '64', autocomplete: 'off' })}<button type="submit">${text.t('security.passkeys.add')}</button></form><script>${raw(PASSKEY_REGISTER_SCRIPT)}</script>`;
  return html`<hr class="divider"><section aria-labelledby="passkeys-heading"><h2 id="passkeys-heading">${text.t('security.passkeys.heading')}</h2>${list}${add}</section>`;
}
