// The `database` session strategy: a stored row holding the token's hash, looked up per read and extended at most once per `updateAge`.
import type { DatabaseSessionStore } from '../../adapters/stores.js';
import type { ResolvedConfig } from '../../config.js';
import type { SessionStrategy } from '../../context.js';
import { clearChunked, readChunked, writeChunked, type SetCookie } from '../../core/cookies.js';
import { hashSessionToken, sessionIdForHandle } from '../../core/session-token.js';
import type { Session } from '../../types.js';
import { fire } from '../events.js';
import { forgetDatabaseSessions } from '../session-index.js';
import { defaultSessionUser, findSessionCookie, readSessionCookie, saveRecord } from './shape.js';
import { extendAuthentication, saveAuthentication } from '../step-up.js';

/** The session index id of a database session: derived from its stored handle, never the token. */
function indexId(sessionToken: string): string {
  return sessionIdForHandle(hashSessionToken(sessionToken));
}

export function databaseSessions(store: DatabaseSessionStore): SessionStrategy {
  return {
    kind: 'database',

    /** Look up, drop when expired, extend at most once per `updateAge`, `session` callback. */
    async read(source, options = {}) {
      const { config } = source;
      const cookie = readSessionCookie(source, options);
      if (!cookie) return { session: null, cookies: [] };
      const { name, attributes, names, value, v5Name, clear, nowMs } = cookie;

      // Signed out here while the store was down: no session, whatever the store still holds.
      if (config.pendingSignOuts.size > 0 && config.pendingSignOuts.has(indexId(value))) return { session: null, cookies: clear() };
      const found = await store.getSessionAndUser(value);
      if (!found) return { session: null, cookies: clear() };
      const { session: stored, user } = found;
      let expires = new Date(stored.expires);
      if (expires.valueOf() < nowMs) {
        await store.deleteSession(value);
        return { session: null, cookies: clear() };
      }
      let cookies: SetCookie[] = [];
      // Write the expiry at most once per updateAge (as v4: packages/next-auth/src/core/routes/session.ts on branch v4): reads stay reads.
      if (expires.valueOf() - config.maxAge * 1000 + config.updateAge * 1000 <= nowMs) {
        expires = new Date(nowMs + config.maxAge * 1000);
        await store.updateSession({ sessionToken: value, expires });
        const id = indexId(value);
        await config.sessionIndex.store?.touchSession(id, new Date(nowMs), expires);
        await extendAuthentication(config, id, config.maxAge * 1000);
        if (!options.readOnly) cookies = writeChunked(name, value, { ...attributes, expires }, names);
      } else if (v5Name !== undefined && !options.readOnly) {
        // A session a v5 app started (its cookie holds the same kind of token): the same token moves
        // to gatehouse's cookie name and v5's cookie goes, with the row's own expiry.
        cookies = writeChunked(name, value, { ...attributes, expires }, names);
      }
      const shaped = await config.callbacks.session({
        session: { user: defaultSessionUser(user, 'image'), expires: new Date(stored.expires).toISOString() },
        user,
        ...(options.update ? { newSession: options.update.data, trigger: 'update' as const } : {}),
      } as Parameters<ResolvedConfig['callbacks']['session']>[0]);
      await fire(config, 'session', { session: shaped as Session });
      return { session: shaped as Session, cookies, user, sessionToken: value, sessionId: indexId(value) };
    },

    async start(source, input) {
      const { config, cookieNames } = source;
      const { name, options: attributes } = cookieNames.sessionToken;
      const { names } = readChunked(source.requestCookies as Map<string, string>, name);
      const expires = new Date(Date.now() + config.maxAge * 1000);
      const sessionToken = config.generateSessionToken();
      const created = await store.createSession({ sessionToken, userId: String(input.user.id), expires });
      const sessionExpires = created?.expires ? new Date(created.expires) : expires;
      await saveRecord(config, indexId(sessionToken), String(input.user.id), sessionExpires, input.device);
      // Kept as long as the session lives; read() extends it with the session.
      if (input.authentication) await saveAuthentication(config, indexId(sessionToken), input.authentication, Math.max(1, sessionExpires.valueOf() - Date.now()));
      return writeChunked(name, sessionToken, { ...attributes, expires: sessionExpires }, names);
    },

    /**
     * The cookie goes regardless. A delete the store did not take (an outage) is retried until it
     * lands, and this instance refuses the session meanwhile, so a cookie captured before the
     * sign-out opens nothing here now and nothing anywhere once the store is back.
     */
    async end(source) {
      const { config, cookieNames } = source;
      const { name, options: attributes } = cookieNames.sessionToken;
      const found = findSessionCookie(source);
      if (!found) return { cookies: [] };
      const { value } = found;
      const cookies = clearChunked(found.v5Name ?? name, attributes, found.names);
      const id = indexId(value);
      const finish = async () => {
        const session = await store.deleteSession(value);
        await fire(config, 'signOut', { session });
        if (session) {
          // The index record is secondary: the row is gone, which is what ends the session.
          await forgetDatabaseSessions(config, { userId: String(session.userId), ids: [id], reason: 'signOut' }).catch((error: unknown) => config.logger.error('SIGNOUT_ERROR', error));
        }
      };
      try {
        await finish();
        return { cookies };
      } catch (error) {
        config.logger.error('SIGNOUT_ERROR', error);
        config.pendingSignOuts.add(id, finish, Date.now() + config.maxAge * 1000);
        return { cookies, pending: error };
      }
    },

    async restamp(source, authentication, expires) {
      const found = findSessionCookie(source);
      if (found) await saveAuthentication(source.config, indexId(found.value), authentication, Math.max(1, expires.valueOf() - Date.now()));
      return [];
    },

    async currentUser(source) {
      const cookie = findSessionCookie(source);
      if (!cookie) return null;
      if (source.config.pendingSignOuts.size > 0 && source.config.pendingSignOuts.has(indexId(cookie.value))) return null;
      const found = await store.getSessionAndUser(cookie.value);
      return found && new Date(found.session.expires).valueOf() > Date.now() ? found.user : null;
    },
  };
}
