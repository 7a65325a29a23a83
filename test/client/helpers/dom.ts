// happy-dom as the page: registered on import, so import this before React and Testing Library.
import { GlobalRegistrator } from '@happy-dom/global-registrator';

// Navigation only records the URL (location.href = x), so tests can read where the client sent the page.
GlobalRegistrator.register({ url: 'http://127.0.0.1/', settings: { navigation: { disableMainFrameNavigation: true } } });

/** Puts the page at `url` (the server's origin: same-origin requests, cookies). */
export function openPage(url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
}

/** A fresh tab on `server`: no cookies, no localStorage, the page at `/app/page`. */
export async function freshTab(server: { origin: string }, path = '/app/page'): Promise<void> {
  openPage(server.origin + path);
  await fetch('/__clear');
  localStorage.clear();
}

/** The message a tab last wrote for v4 tabs, parsed. */
export function lastMessage(): Record<string, unknown> | null {
  const raw = localStorage.getItem('nextauth.message');
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}

/** Waits for the page's pending work (fetches such as log beacons, timers) to finish. */
export async function settle(): Promise<void> {
  await (window as unknown as { happyDOM: { waitUntilComplete(): Promise<void> } }).happyDOM.waitUntilComplete();
}

export async function closeDom(): Promise<void> {
  await GlobalRegistrator.unregister();
}

/** Waits until `check` holds (polling the event loop); throws with `what` after `timeout` ms. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
