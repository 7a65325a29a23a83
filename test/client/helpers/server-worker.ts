// The worker thread that hosts one test server and answers remote.ts's calls about it.
import { parentPort, workerData } from 'node:worker_threads';
import { SERVER_KINDS, type AuthServer, type ServerOptions } from './servers.js';

const { kind, options } = workerData as { kind: string; options: ServerOptions };
const server: AuthServer = await SERVER_KINDS.find((candidate) => candidate.kind === kind)!.start(options);

type Call = { id: number; op: 'requests' | 'clearRequests' | 'fail' | 'heal' | 'mails' | 'route' | 'close'; args: unknown[] };

parentPort!.on('message', async ({ id, op, args }: Call) => {
  let result: unknown;
  switch (op) {
    case 'requests':
      result = server.requests;
      break;
    case 'clearRequests':
      server.requests.length = 0;
      break;
    case 'fail':
      server.fail(...(args as Parameters<AuthServer['fail']>));
      break;
    case 'heal':
      server.heal();
      break;
    case 'mails':
      result = server.mails;
      break;
    case 'route':
      server.route(...(args as Parameters<AuthServer['route']>));
      break;
    case 'close':
      await server.close();
      break;
  }
  parentPort!.postMessage({ id, result });
  if (op === 'close') parentPort!.close();
});

parentPort!.postMessage({ ready: { origin: server.origin, basePath: server.basePath, base: server.base, supports: [...server.supports] } });
