// auth.handler on Bun.serve: the options come as JSON in argv; the port goes to stdout for the test.
import { createApp, type AppOptions } from './app.js';

interface BunServer {
  port: number;
  requestIP(request: Request): { address: string } | null;
}
declare const Bun: { serve(options: { hostname: string; port: number; fetch(request: Request, server: BunServer): Promise<Response> }): BunServer };

const serve = createApp(JSON.parse(process.argv[2]!) as AppOptions);
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request, srv) => serve(request, srv.requestIP(request)?.address, srv),
});
console.log(`listening ${server.port}`);
