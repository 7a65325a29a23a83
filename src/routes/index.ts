// The route table: method and action → route. Start reading here.
import { callback } from './callback.js';
import { csrfRoute } from './csrf.js';
import { errorPage } from './error-page.js';
import { logRoute } from './log.js';
import { providersRoute } from './providers.js';
import { reauthenticateRoute } from './reauthenticate.js';
import { securityPageRoute } from './security-page.js';
import { sessionRoute } from './session.js';
import { sessionsRevokeOthers } from './sessions-revoke-others.js';
import { sessionsRevoke } from './sessions-revoke.js';
import { sessionsRoute } from './sessions.js';
import { signinPage } from './signin-page.js';
import { signin } from './signin.js';
import { signoutPage } from './signout-page.js';
import { signout } from './signout.js';
import { BadRequestError } from '../errors.js';
import type { Route } from '../context.js';
import { twoFactorBackupCodes } from './two-factor-backup-codes.js';
import { twoFactorDisable } from './two-factor-disable.js';
import { twoFactorEmailCode } from './two-factor-email-code.js';
import { twoFactorEnable } from './two-factor-enable.js';
import { twoFactorPage } from './two-factor-page.js';
import { twoFactorVerify } from './two-factor-verify.js';
import { verifyRequestPage } from './verify-request-page.js';
import { passwordChangePage } from './password-change-page.js';
import { passwordChange } from './password-change.js';
import { passwordForgotPage } from './password-forgot-page.js';
import { passwordForgot } from './password-forgot.js';
import { passwordResetPage } from './password-reset-page.js';
import { passwordReset } from './password-reset.js';
import { signupPage } from './signup-page.js';
import { signup } from './signup.js';
import { verifyEmailPage } from './verify-email-page.js';
import { verifyEmailRoute } from './verify-email.js';
import { passkeysDelete } from './passkeys-delete.js';
import { passkeysRename } from './passkeys-rename.js';
import { passkeysRoute } from './passkeys.js';
import { webauthnOptions } from './webauthn-options.js';

/** Routes under one action told apart by the second segment (`sessions/revoke`); any other segment is a 400. */
function bySegment(routes: Readonly<Record<string, Route>>): Route {
  return (ctx) => {
    const route = ctx.providerId !== undefined && Object.prototype.hasOwnProperty.call(routes, ctx.providerId) ? routes[ctx.providerId] : undefined;
    if (!route) throw new BadRequestError(`Error: This action with HTTP ${ctx.method} is not supported.`);
    return route(ctx);
  };
}

export const ROUTES: Readonly<Record<'GET' | 'POST', Readonly<Record<string, Route>>>> = Object.freeze({
  GET: Object.freeze({
    session: sessionRoute,
    csrf: csrfRoute,
    providers: providersRoute,
    signin: signinPage,
    signout: signoutPage,
    callback,
    error: errorPage,
    'verify-request': verifyRequestPage,
    sessions: sessionsRoute,
    signup: signupPage,
    'verify-email': verifyEmailPage,
    password: bySegment({ forgot: passwordForgotPage, reset: passwordResetPage, change: passwordChangePage }),
    'two-factor': twoFactorPage,
    'webauthn-options': webauthnOptions,
    passkeys: passkeysRoute,
    security: securityPageRoute,
  }),
  POST: Object.freeze({
    session: sessionRoute,
    signin,
    signout,
    callback,
    _log: logRoute,
    sessions: bySegment({ revoke: sessionsRevoke, 'revoke-others': sessionsRevokeOthers }),
    signup,
    'verify-email': verifyEmailRoute,
    password: bySegment({ forgot: passwordForgot, reset: passwordReset, change: passwordChange }),
    reauthenticate: reauthenticateRoute,
    passkeys: bySegment({ rename: passkeysRename, delete: passkeysDelete }),
    'two-factor': bySegment({ 'email-code': twoFactorEmailCode, enable: twoFactorEnable, verify: twoFactorVerify, disable: twoFactorDisable, 'backup-codes': twoFactorBackupCodes }),
  }),
});
