// auth.handler on Deno.serve: the options come as JSON in the arguments; the port goes to stdout for the test.
import { createApp, type AppOptions } from './app.js';

interface DenoServeInfo {
  remoteAddr: { hostname: string };
}
declare const Deno: {
  args: string[];
  serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request, info: DenoServeInfo) => Promise<Response>): unknown;
};

const serve = createApp(JSON.parse(Deno.args[0]!) as AppOptions);
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, (request, info) => serve(request, info.remoteAddr.hostname, info));
