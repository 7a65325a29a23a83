// The page's session cache, shared by every SessionProvider: one request in flight, at most one queued behind it.
import { listen, post } from '../client/broadcast.js';
import { fetchJson } from '../client/fetch.js';
import type { Session } from '../client/types.js';

/** What a refetch was asked for, as v4 names it: another tab or a sign-in/out, a poll, the tab becoming visible. */
export type RefreshEvent = 'storage' | 'poll' | 'visibilitychange';

type View = (session: Session | null) => void;

// Page state, like v4's `__NEXTAUTH._session`: every provider on the page shows one session, and a
// refetch asked for by many hooks, tabs or timers at once must cost one request. Written only from
// effects and events, never during render, so server rendering never sees or leaks it.
let current: Session | null | undefined; // undefined: not fetched on this page yet
let version = 0; // bumped by every write, so the answer to an older request cannot overwrite a newer value
let inflight: Promise<void> | undefined;
let again = false; // a change was reported while a request was running: fetch once more after it
let unlisten: (() => void) | undefined;
const views = new Set<View>();

/** Sets the session for every provider. */
export function publish(session: Session | null): void {
  current = session;
  version++;
  views.forEach((view) => view(session));
}

/**
 * Fetches now, or joins the request already running (unless `fresh`). `tell`: broadcast `always` (a
 * page's first fetch, as v4), `never` (a refetch another tab asked for: answering would ping-pong), or
 * on `change` between signed in and out (polls and focus: v4 broadcasts those too, and N polling tabs
 * then cost N²). A failed background refetch keeps the session shown: a network blip is not a sign-out.
 * A fresh request replaces the running one, whose answer is then dropped: the newest answer wins.
 */
function load(tell: 'always' | 'never' | 'change', fresh = false): Promise<void> {
  if (inflight && !fresh) return inflight;
  const started = version;
  const request: Promise<void> = fetchJson<Session>('session').then((session) => {
    // Reset meanwhile (nothing to wait for), or replaced by a fresh request: whoever awaited this one waits for that.
    if (inflight != request) return inflight;
    inflight = undefined;
    const before = current;
    if (started == version && !(session === undefined && tell == 'change')) {
      publish(session ?? null);
      if (tell == 'always' || (tell == 'change' && !before != !session)) post('getSession');
    }
    if (again) {
      again = false;
      return load('never');
    }
  });
  return (inflight = request);
}

/** v4's `_getSession({event})`: which events fetch, and whether they tell the other tabs. */
export function refresh(event?: RefreshEvent): Promise<void> {
  if (event == 'storage') {
    // The running request may predate the change; its promise settles after the follow-up.
    if (inflight) again = true;
    return inflight ?? load('never');
  }
  // v4's timer polls only a tab that has a session, each tick its own request even while the last
  // one is still out (a slow answer does not skip a poll).
  if (event == 'poll') return current ? load('change', true) : Promise.resolve();
  if (current === undefined) return load('always');
  // Signed-out tabs neither poll nor refetch on focus, as in v4: the sign-in that changes that tells them.
  if (!event || current === null) return inflight ?? Promise.resolve();
  return load('change');
}

/**
 * Adds a provider's view. `initial` (the server-rendered session) seeds the page state when it has
 * none yet. Resolves once the view has a value: at once when the page already knows the session.
 */
export function subscribe(view: View, initial: Session | null | undefined): [stop: () => void, ready: Promise<void>] {
  if (current === undefined && initial !== undefined) current = initial;
  views.add(view);
  unlisten ??= listen(() => refresh('storage'));
  if (current !== undefined) view(current);
  const stop = (): void => {
    views.delete(view);
    if (views.size) return;
    // The last provider left (unmount, tests): forget the page state as v4 does, and stop listening to other tabs.
    unlisten?.();
    unlisten = undefined;
    current = inflight = undefined;
    again = false;
  };
  return [stop, refresh()];
}
