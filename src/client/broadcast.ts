// Tab sync: v4's `nextauth.message` localStorage messages, so v4 and gatehouse tabs stay in step, plus a BroadcastChannel.

export type Trigger = 'signout' | 'getSession';

/** v4's localStorage key (`BroadcastChannel` in packages/next-auth/src/client/_utils.ts on branch v4); its tabs listen for `storage` events on it. */
const KEY = 'nextauth.message';
/** Auth.js v5's client listens on a BroadcastChannel of this name, with the same message shape. */
const CHANNEL = 'next-auth';

type Listener = () => unknown;

// This tab's listeners (the React session store), and the channel, open only while someone listens:
// an open BroadcastChannel keeps a Node process (tests, SSR) alive.
const listeners = new Set<Listener>();
let channel: BroadcastChannel | undefined;

/** Tells this tab's listeners the session may have changed, and waits for them (v4's `_getSession({event: 'storage'})`). */
export const changed = (): Promise<unknown> => Promise.all([...listeners].map((listener) => listener()));

function onStorage(event: StorageEvent): void {
  if (event.key != KEY) return;
  try {
    const message = JSON.parse(event.newValue!);
    // `bc` marks a copy that also went over the channel: a tab that listens there already has it.
    if (message.event == 'session' && message.data && !(message.bc && channel)) void changed();
  } catch {}
}

/** Tells the other tabs: `{event: 'session', data: {trigger}}` on the channel and in localStorage. */
export function post(trigger: Trigger): void {
  if (typeof window == 'undefined') return;
  const message = { event: 'session', data: { trigger } };
  let sender = channel;
  try {
    sender ??= new BroadcastChannel(CHANNEL);
    sender.postMessage(message);
  } catch {
    sender = undefined;
  }
  if (sender != channel) sender?.close();
  try {
    // Removing first makes the write fire a `storage` event even when the value is unchanged (same
    // trigger within the same second of v4's timestamp), which the browser would otherwise swallow.
    localStorage.removeItem(KEY);
    localStorage.setItem(KEY, JSON.stringify({ ...message, timestamp: Math.floor(Date.now() / 1000), ...(sender ? { bc: 1 } : {}) }));
  } catch {}
}

/** Calls `listener` when another tab (v4, v5 or gatehouse) or this tab's signIn/signOut reports a change. Returns the unsubscribe. */
export function listen(listener: Listener): () => void {
  if (!listeners.size && typeof window != 'undefined') {
    window.addEventListener('storage', onStorage);
    try {
      channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (event) => event.data?.event == 'session' && changed();
    } catch {}
  }
  listeners.add(listener);
  return () => {
    if (listeners.delete(listener) && !listeners.size && typeof window != 'undefined') {
      window.removeEventListener('storage', onStorage);
      channel?.close();
      channel = undefined;
    }
  };
}
