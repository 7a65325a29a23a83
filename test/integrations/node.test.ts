// The shared route suite through gatehouse-auth/node on a plain node:http server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAuth } from '../../src/index.js';
import { getSession, toNodeHandler } from '../../src/integrations/node.js';
import { credentialsConfig } from '../helpers/config.js';
import { listen } from './listen.js';
import { integrationSuite, type RunningApp } from './suite.js';

integrationSuite({
  name: 'gatehouse-auth/node (node:http)',
  start: (auth) => {
    const api = toNodeHandler(auth);
    return listen(
      createServer((req, res) => {
        const path = req.url?.split('?')[0] ?? '/';
        if (path.startsWith('/api/auth')) return void api(req, res);
        if (path === '/me') {
          return void getSession(auth, req).then((session) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session })));
        }
        if (path === '/hello') return void res.end('hello');
        res.writeHead(404).end();
      }),
    );
  },
});

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

describe('gatehouse-auth/node: request bodies and response framing', () => {
  let app: RunningApp;
  let port = 0;
  let settled = 0; // handler calls that finished, however they ended
  before(async () => {
    const api = toNodeHandler(createAuth(credentialsConfig({ logger: quiet })));
    app = await listen(createServer((req, res) => void api(req, res).finally(() => settled++)));
    port = Number(new URL(app.origin).port);
  });
  after(() => app.close());

  /** Sends raw bytes and resolves with what the server answered before closing (or '' on none). */
  function raw(bytes: string, { end = true } = {}): Promise<string> {
    return new Promise((resolve) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () => (end ? socket.end(bytes) : socket.write(bytes)));
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => resolve(answer)).on('error', () => resolve(answer));
      if (!end) setTimeout(() => socket.destroy(), 100);
    });
  }

  test('answers carry a Content-Length, not chunked framing', async () => {
    const response = await fetch(`${app.origin}/api/auth/providers`);
    const body = await response.text();
    assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(body)));
    assert.equal(response.headers.get('transfer-encoding'), null);
  });

  test('a chunked body past 64 KB is a 413, and the server goes on serving', async () => {
    const chunk = 'a'.repeat(16 * 1024);
    const body = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const answer = await raw(`POST /api/auth/callback/credentials HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.equal((await fetch(`${app.origin}/api/auth/csrf`)).status, 200);
  });

  test('a client that hangs up mid-body leaves no stuck request behind', async () => {
    const before = settled;
    const answer = await raw(`POST /api/auth/callback/credentials HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrfToken=abc`, { end: false });
    assert.equal(answer, '');
    for (let i = 0; i < 50 && settled === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, before + 1, 'the handler settled after the hang-up');
    assert.equal((await fetch(`${app.origin}/api/auth/csrf`)).status, 200);
  });
});
