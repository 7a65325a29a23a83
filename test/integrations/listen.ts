// Starts a node:http server on a free loopback port and closes it with its open connections.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from './suite.js';

export async function listen(server: Server): Promise<RunningApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
