// The route table: method and action → route. Start reading here.
import { callback } from './callback.js';
import { csrfRoute } from './csrf.js';
import { errorPage } from './error-page.js';
import { logRoute } from './log.js';
import { providersRoute } from './providers.js';
import { sessionRoute } from './session.js';
import { signinPage } from './signin-page.js';
import { signin } from './signin.js';
import { signoutPage } from './signout-page.js';
import { signout } from './signout.js';
import type { Route } from './types.js';
import { verifyRequestPage } from './verify-request-page.js';

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
  }),
  POST: Object.freeze({
    session: sessionRoute,
    signin,
    signout,
    callback,
    _log: logRoute,
  }),
});
