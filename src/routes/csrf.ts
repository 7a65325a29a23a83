// GET `csrf`: the double-submit token, reusing a valid cookie's token rather than rotating it.
import { csrf } from '../flows/request-state.js';
import { NO_CACHE, type Route } from '../context.js';

export const csrfRoute: Route = (ctx) => ({ headers: NO_CACHE, json: { csrfToken: csrf(ctx).token } });
