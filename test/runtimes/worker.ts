// auth.handler as a Workers module on workerd: the options come as a text binding of the generated config.
import { createApp, type AppOptions, type Serve } from './app.js';

interface Env {
  OPTIONS: string;
}

// One app per isolate, built on the first request (bindings are only in reach inside `fetch`).
let serve: Serve | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    serve ??= createApp(JSON.parse(env.OPTIONS) as AppOptions);
    // workerd's own HTTP socket passes no peer address; Cloudflare's edge adds CF-Connecting-IP.
    return serve(request, undefined, env);
  },
};
