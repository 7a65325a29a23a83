// A loopback TCP relay in front of a real server, which a test can cut, refuse or stall and then heal: outages on demand, no mocks.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'open' | 'refusing' | 'stalled';

export interface Relay {
  /** The relay's port on 127.0.0.1: point the adapter here instead of at the server. */
  readonly port: number;
  readonly host: '127.0.0.1';
  /** Connections accepted so far (a reconnect shows up here). */
  readonly accepted: number;
  /** Chunks from clients swallowed while stalled: "the request has reached the blackhole". */
  readonly swallowed: number;
  /** Destroys every open connection (a dropped network, a restarted proxy); new ones are served at once. */
  cut(): void;
  /** Stops accepting (connections are refused, as with the server down) and destroys the open ones. */
  refuse(): Promise<void>;
  /**
   * Swallows every byte both ways, on open connections and on new ones, which are accepted but
   * never answered: the server as a blackhole. The sockets stay open; nothing is sent, no error.
   */
  stall(): void;
  /**
   * Serves again. Connections that were stalled stay stalled for good (their bytes are lost, as
   * behind a blackhole whose state is gone): only new connections work, so a driver recovers
   * only if it gives up on the silent ones itself.
   */
  heal(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  stalled: boolean;
}

export async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const pairs = new Set<Pair>();
  let mode: Mode = 'open';
  let accepted = 0;
  let swallowed = 0;
  let server: Server | undefined;
  let port = 0;

  function onConnection(client: Socket): void {
    accepted += 1;
    client.on('error', () => undefined);
    if (mode === 'stalled') {
      // Accepted, never answered, never forwarded.
      const pair: Pair = { client, upstream: undefined, stalled: true };
      client.on('data', () => void (swallowed += 1));
      client.on('close', () => pairs.delete(pair));
      pairs.add(pair);
      return;
    }
    client.pause();
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => client.destroy());
    const pair: Pair = { client, upstream, stalled: false };
    pairs.add(pair);
    upstream.on('connect', () => {
      client.resume();
    });
    client.on('data', (chunk) => {
      if (pair.stalled) swallowed += 1;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.stalled) client.write(chunk);
    });
    const end = () => {
      // A stalled pair stays open on the client side (the silence is the point) until the client or close() ends it.
      if (pair.stalled) {
        upstream.destroy();
        if (client.destroyed) pairs.delete(pair);
        return;
      }
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }

  async function listen(at: number): Promise<void> {
    server = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(at, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }

  function destroyAll(): void {
    for (const pair of [...pairs]) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    pairs.clear();
  }

  await listen(0);

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    get swallowed() {
      return swallowed;
    },
    cut() {
      destroyAll();
    },
    async refuse() {
      mode = 'refusing';
      const closing = server;
      server = undefined;
      destroyAll();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    stall() {
      mode = 'stalled';
      for (const pair of pairs) pair.stalled = true;
    },
    async heal() {
      // Same port again, so the drivers' configuration stays valid.
      if (!server) await listen(port);
      mode = 'open';
    },
    async close() {
      mode = 'refusing';
      destroyAll();
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
