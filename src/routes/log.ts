// POST `_log`: the v4 client's error beacons. Accepted and dropped: a client-chosen level and text never reach the server log unchecked.
import type { Route } from '../context.js';

export const logRoute: Route = (ctx) => {
  const code = typeof ctx.body.code === 'string' ? ctx.body.code.slice(0, 64).replace(/[^\w.-]/g, '') : 'UNKNOWN';
  ctx.config.logger.debug('CLIENT_LOG', { code });
  return { text: '' };
};
