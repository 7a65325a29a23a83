// @auth/core 0.41 (Auth.js) through Auth(request, config) behind a small node:http → Web Request adapter, as its framework packages do.
import { Auth, setEnvDefaults } from 'auth-core';
import Credentials from 'auth-core/providers/credentials';
import { authorize, OIDC, SECRET, serve } from '../lib/shared.mjs';

function providers() {
  return [
    Credentials({ name: 'Password', credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } }, authorize }),
    { id: OIDC.id, name: OIDC.name, type: 'oidc', issuer: OIDC.issuer, clientId: OIDC.clientId, clientSecret: OIDC.clientSecret },
  ];
}

async function toRequest(req, origin) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const init = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    init.body = Buffer.concat(chunks).toString('utf8');
  }
  return new Request(new URL(req.url, origin), init);
}

async function send(response, res) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(Buffer.from(await response.arrayBuffer()));
}

await serve(async (origin) => {
  // AUTH_URL gives the base path and trustHost, the way @auth/express and the other integrations call setEnvDefaults.
  const env = { ...process.env, AUTH_URL: `${origin}/api/auth`, AUTH_SECRET: SECRET };
  const config = { secret: SECRET, providers: providers() };
  setEnvDefaults(env, config);
  return {
    async handler(req, res) {
      try {
        await send(await Auth(await toRequest(req, origin), config), res);
      } catch (error) {
        console.error(error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    },
  };
});
