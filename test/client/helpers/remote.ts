// Starts a test server (gatehouse or next-auth v4) in its own worker thread and talks to it: what it received, failures to inject.
import { Worker } from 'node:worker_threads';
import type { ProviderKind, RecordedRequest, ServerOptions, StaticContent } from './servers.js';

export type { RecordedRequest } from './servers.js';
export { PASSWORD, USER } from './servers.js';

/** The kinds every client suite runs against. */
export const SERVER_KINDS = ['gatehouse', 'next-auth v4'] as const;
export type ServerKindName = (typeof SERVER_KINDS)[number];

export interface RemoteServer {
  kind: ServerKindName;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  basePath: string;
  /** origin + basePath */
  base: string;
  /** The provider kinds this server serves (gatehouse grows flows over time). */
  supports: ReadonlySet<ProviderKind>;
  /** Every API request so far, in order. */
  requests(): Promise<RecordedRequest[]>;
  /** `METHOD action` of every API request so far, e.g. `GET session`. */
  log(): Promise<string[]>;
  /** How many API requests matched `METHOD action`. */
  count(key: string): Promise<number>;
  clearRequests(): Promise<void>;
  /** Answers `action` with this status and body until `heal()`: a broken server, over real HTTP. */
  fail(action: string, status: number, body: string, contentType?: string): Promise<void>;
  heal(): Promise<void>;
  /** Magic links the email provider sent. */
  mails(): Promise<string[]>;
  /** Serves `path` (outside the API) with this body. */
  route(path: string, content: StaticContent): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(kind: ServerKindName, options: ServerOptions = {}): Promise<RemoteServer> {
  // The worker registers tsx itself before loading TypeScript: Node 20 does not carry `--import` hooks into workers.
  const entry = new URL('./server-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { kind, options } });
  const pending = new Map<number, (result: unknown) => void>();
  let next = 0;
  const ready = await new Promise<{ origin: string; basePath: string; base: string; supports: ProviderKind[] }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { ready?: never; id?: number; result?: unknown }) => {
      if (message.ready) resolve(message.ready);
      else pending.get(message.id!)?.(message.result);
    });
  });
  const call = <T>(op: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, (result) => {
        pending.delete(id);
        resolve(result as T);
      });
      worker.postMessage({ id, op, args });
    });
  const requests = (): Promise<RecordedRequest[]> => call('requests');
  const log = async (): Promise<string[]> => (await requests()).map((r) => `${r.method} ${r.action}`);
  return {
    kind,
    ...ready,
    supports: new Set(ready.supports),
    requests,
    log,
    count: async (key) => (await log()).filter((entry) => entry === key).length,
    clearRequests: () => call('clearRequests'),
    fail: (action, status, body, contentType = 'application/json') => call('fail', action, status, body, contentType),
    heal: () => call('heal'),
    mails: () => call('mails'),
    route: (path, content) => call('route', path, content),
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}
