// Every preset, table-driven: its authorization URL, token request and profile mapping as the provider documents them, against a loopback server standing in for the provider's endpoints.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Apple from '../../src/providers/apple.js';
import Atlassian from '../../src/providers/atlassian.js';
import Auth0 from '../../src/providers/auth0.js';
import Authentik from '../../src/providers/authentik.js';
import Bitbucket from '../../src/providers/bitbucket.js';
import Cognito from '../../src/providers/cognito.js';
import Discord from '../../src/providers/discord.js';
import Dropbox from '../../src/providers/dropbox.js';
import Facebook from '../../src/providers/facebook.js';
import GitHub from '../../src/providers/github.js';
import GitLab from '../../src/providers/gitlab.js';
import Google from '../../src/providers/google.js';
import Kakao from '../../src/providers/kakao.js';
import Keycloak from '../../src/providers/keycloak.js';
import LINE from '../../src/providers/line.js';
import LinkedIn from '../../src/providers/linkedin.js';
import MicrosoftEntraID from '../../src/providers/microsoft-entra-id.js';
import Naver from '../../src/providers/naver.js';
import Okta from '../../src/providers/okta.js';
import Reddit from '../../src/providers/reddit.js';
import Salesforce from '../../src/providers/salesforce.js';
import Slack from '../../src/providers/slack.js';
import Spotify from '../../src/providers/spotify.js';
import Twitch from '../../src/providers/twitch.js';
import Twitter from '../../src/providers/twitter.js';
import Zitadel from '../../src/providers/zitadel.js';
import Zoom from '../../src/providers/zoom.js';
import type { Provider, User } from '../../src/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

const CLIENT_ID = 'preset-client';
const CLIENT_SECRET = 'preset-secret-0123456789abcdef0123456789';
const APP = 'http://app.test/api/auth';
const ACCESS_TOKEN = 'at-preset-123';
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Answer {
  status?: number;
  json?: unknown;
  body?: Uint8Array;
  type?: string;
}

/** Stands in for every provider host: requests arrive as `/<host>/<path>` and are answered from a table. */
class ProviderWorld {
  server!: Server;
  origin = '';
  requests: Recorded[] = [];
  routes = new Map<string, (request: Recorded) => Answer>();

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const original = `https://${req.url!.slice(1)}`;
        const recorded: Recorded = { method: req.method!, url: original, headers: req.headers, body: Buffer.concat(chunks).toString() };
        this.requests.push(recorded);
        const key = `${req.method} ${original.split('?')[0]}`;
        const route = this.routes.get(key);
        const answer = route ? route(recorded) : { status: 404, json: { error: 'not_found', key } };
        res.statusCode = answer.status ?? 200;
        if (answer.body) {
          res.setHeader('content-type', answer.type ?? 'application/octet-stream');
          res.end(Buffer.from(answer.body));
        } else {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(answer.json ?? {}));
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The provider option `fetch`: every https URL goes to this loopback server instead. */
  readonly fetch: Fetch = (input, init) => {
    const url = new URL(input);
    return fetch(`${this.origin}/${url.host}${url.pathname}${url.search}`, init);
  };

  on(method: string, url: string, answer: (request: Recorded) => Answer) {
    this.routes.set(`${method} ${url}`, answer);
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Discovery {
  issuer: string;
  url: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

interface Case {
  id: string;
  make: (options: { clientId: string; clientSecret: string; fetch: Fetch }) => Provider;
  discovery?: Discovery;
  /** Where the user is sent, and the parameters the provider documents (null: must be absent). */
  authorize: string;
  params: Record<string, string | null>;
  checks: Array<'state' | 'pkce' | 'nonce'>;
  token: string;
  auth: 'basic' | 'post';
  /** ID token claims (OIDC), signed RS256 with the world's key, or HS256 with the client secret. */
  idToken?: Record<string, unknown>;
  hs256?: boolean;
  /** Resource requests the profile needs: method, URL (without query) and the JSON answered. */
  resources?: Array<{ method: string; url: string; query?: Record<string, string>; answer: Answer }>;
  formPost?: Record<string, string>;
  user: User;
}

const oidc = (issuer: string, paths: { authorization: string; token: string; jwks: string; userinfo?: string; url?: string }): Discovery => ({
  issuer,
  url: paths.url ?? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
  authorization_endpoint: paths.authorization,
  token_endpoint: paths.token,
  jwks_uri: paths.jwks,
  ...(paths.userinfo ? { userinfo_endpoint: paths.userinfo } : {}),
});

const CASES: Case[] = [
  {
    id: 'github',
    make: (o) => GitHub(o),
    authorize: 'https://github.com/login/oauth/authorize',
    params: { scope: 'read:user user:email' },
    checks: ['state', 'pkce'],
    token: 'https://github.com/login/oauth/access_token',
    auth: 'basic',
    resources: [
      { method: 'GET', url: 'https://api.github.com/user', answer: { json: { id: 583231, login: 'octocat', name: null, email: null, avatar_url: 'https://avatars.githubusercontent.com/u/583231' } } },
      {
        method: 'GET',
        url: 'https://api.github.com/user/emails',
        answer: {
          json: [
            { email: 'old@example.com', primary: false, verified: true },
            { email: 'Octo@GitHub.com', primary: true, verified: true },
          ],
        },
      },
    ],
    user: { id: '583231', name: 'octocat', email: 'octo@github.com', image: 'https://avatars.githubusercontent.com/u/583231' },
  },
  {
    id: 'google',
    make: (o) => Google(o),
    discovery: oidc('https://accounts.google.com', {
      authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      jwks: 'https://www.googleapis.com/oauth2/v3/certs',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
    }),
    authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://oauth2.googleapis.com/token',
    auth: 'basic',
    idToken: { sub: '1093', email: 'ann@gmail.com', email_verified: true, name: 'Ann', picture: 'https://lh3.googleusercontent.com/a/x' },
    user: { id: '1093', name: 'Ann', email: 'ann@gmail.com', image: 'https://lh3.googleusercontent.com/a/x' },
  },
  {
    id: 'gitlab',
    make: (o) => GitLab(o),
    authorize: 'https://gitlab.com/oauth/authorize',
    params: { scope: 'read_user' },
    checks: ['state', 'pkce'],
    token: 'https://gitlab.com/oauth/token',
    auth: 'basic',
    resources: [{ method: 'GET', url: 'https://gitlab.com/api/v4/user', answer: { json: { id: 7, username: 'tanuki', name: 'Tanuki', email: 'tanuki@gitlab.com', avatar_url: 'https://gitlab.com/a.png' } } }],
    user: { id: '7', name: 'Tanuki', email: 'tanuki@gitlab.com', image: 'https://gitlab.com/a.png' },
  },
  {
    id: 'discord',
    make: (o) => Discord(o),
    authorize: 'https://discord.com/oauth2/authorize',
    params: { scope: 'identify email' },
    checks: ['state'],
    token: 'https://discord.com/api/oauth2/token',
    auth: 'basic',
    resources: [
      {
        method: 'GET',
        url: 'https://discord.com/api/users/@me',
        answer: { json: { id: '80351110224678912', username: 'nelly', global_name: 'Nelly', discriminator: '0', avatar: null, email: 'nelly@discord.com', verified: true } },
      },
    ],
    // New username system: default avatar index (80351110224678912 >> 22) % 6 = 5.
    user: { id: '80351110224678912', name: 'Nelly', email: 'nelly@discord.com', image: 'https://cdn.discordapp.com/embed/avatars/5.png' },
  },
  {
    id: 'microsoft-entra-id',
    make: (o) => MicrosoftEntraID(o),
    discovery: {
      ...oidc('https://login.microsoftonline.com/{tenantid}/v2.0', {
        authorization: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
        token: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
        jwks: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
        userinfo: 'https://graph.microsoft.com/oidc/userinfo',
      }),
      url: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    },
    authorize: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    params: { scope: 'openid profile email User.Read' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    auth: 'basic',
    idToken: { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, tid: TENANT, sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', name: 'Megan Bowen', email: 'megan@contoso.com' },
    resources: [{ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me/photos/48x48/$value', answer: { body: new Uint8Array([0xff, 0xd8, 0xff]), type: 'image/jpeg' } }],
    user: { id: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', name: 'Megan Bowen', email: 'megan@contoso.com', image: 'data:image/jpeg;base64,/9j/' },
  },
  {
    id: 'apple',
    make: (o) => Apple(o),
    discovery: oidc('https://appleid.apple.com', {
      authorization: 'https://appleid.apple.com/auth/authorize',
      token: 'https://appleid.apple.com/auth/token',
      jwks: 'https://appleid.apple.com/auth/keys',
    }),
    authorize: 'https://appleid.apple.com/auth/authorize',
    params: { scope: 'name email', response_mode: 'form_post' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://appleid.apple.com/auth/token',
    auth: 'post',
    idToken: { sub: '001234.abcd', email: 'x1y2@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true' },
    formPost: { user: JSON.stringify({ name: { firstName: 'Tim', lastName: 'Apple' }, email: 'x1y2@privaterelay.appleid.com' }) },
    user: { id: '001234.abcd', name: 'Tim Apple', email: 'x1y2@privaterelay.appleid.com', image: null },
  },
  {
    id: 'auth0',
    make: (o) => Auth0({ ...o, issuer: 'https://dev-abc.us.auth0.com' }),
    discovery: oidc('https://dev-abc.us.auth0.com/', {
      authorization: 'https://dev-abc.us.auth0.com/authorize',
      token: 'https://dev-abc.us.auth0.com/oauth/token',
      jwks: 'https://dev-abc.us.auth0.com/.well-known/jwks.json',
      userinfo: 'https://dev-abc.us.auth0.com/userinfo',
    }),
    authorize: 'https://dev-abc.us.auth0.com/authorize',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://dev-abc.us.auth0.com/oauth/token',
    auth: 'basic',
    idToken: { sub: 'auth0|65f', nickname: 'ann', name: 'ann@example.com', email: 'ann@example.com', picture: 'https://s.gravatar.com/avatar/x.png' },
    user: { id: 'auth0|65f', name: 'ann', email: 'ann@example.com', image: 'https://s.gravatar.com/avatar/x.png' },
  },
  {
    id: 'keycloak',
    make: (o) => Keycloak({ ...o, issuer: 'https://kc.example.com/realms/demo' }),
    discovery: oidc('https://kc.example.com/realms/demo', {
      authorization: 'https://kc.example.com/realms/demo/protocol/openid-connect/auth',
      token: 'https://kc.example.com/realms/demo/protocol/openid-connect/token',
      jwks: 'https://kc.example.com/realms/demo/protocol/openid-connect/certs',
    }),
    authorize: 'https://kc.example.com/realms/demo/protocol/openid-connect/auth',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://kc.example.com/realms/demo/protocol/openid-connect/token',
    auth: 'basic',
    idToken: { sub: 'f:1', preferred_username: 'kc-user', email: 'kc@example.com' },
    user: { id: 'f:1', name: 'kc-user', email: 'kc@example.com', image: null },
  },
  {
    id: 'okta',
    make: (o) => Okta({ ...o, issuer: 'https://dev-1.okta.com/oauth2/default' }),
    discovery: oidc('https://dev-1.okta.com/oauth2/default', {
      authorization: 'https://dev-1.okta.com/oauth2/default/v1/authorize',
      token: 'https://dev-1.okta.com/oauth2/default/v1/token',
      jwks: 'https://dev-1.okta.com/oauth2/default/v1/keys',
    }),
    authorize: 'https://dev-1.okta.com/oauth2/default/v1/authorize',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://dev-1.okta.com/oauth2/default/v1/token',
    auth: 'basic',
    idToken: { sub: '00u1', name: 'Okta User', email: 'okta@example.com' },
    user: { id: '00u1', name: 'Okta User', email: 'okta@example.com', image: null },
  },
  {
    id: 'cognito',
    make: (o) => Cognito({ ...o, issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123' }),
    discovery: oidc('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123', {
      authorization: 'https://demo.auth.us-east-1.amazoncognito.com/oauth2/authorize',
      token: 'https://demo.auth.us-east-1.amazoncognito.com/oauth2/token',
      jwks: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json',
    }),
    authorize: 'https://demo.auth.us-east-1.amazoncognito.com/oauth2/authorize',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://demo.auth.us-east-1.amazoncognito.com/oauth2/token',
    auth: 'basic',
    idToken: { sub: 'c0g', email: 'cog@example.com', 'cognito:username': 'cog' },
    user: { id: 'c0g', name: null, email: 'cog@example.com', image: null },
  },
  {
    id: 'facebook',
    make: (o) => Facebook(o),
    authorize: 'https://www.facebook.com/v26.0/dialog/oauth',
    params: { scope: 'email' },
    checks: ['state'],
    token: 'https://graph.facebook.com/v26.0/oauth/access_token',
    auth: 'post',
    resources: [
      {
        method: 'GET',
        url: 'https://graph.facebook.com/v26.0/me',
        query: { fields: 'id,name,email,picture' },
        answer: { json: { id: '10158', name: 'Fay Book', email: 'fay@example.com', picture: { data: { url: 'https://platform-lookaside.fbsbx.com/p.jpg' } } } },
      },
    ],
    user: { id: '10158', name: 'Fay Book', email: 'fay@example.com', image: 'https://platform-lookaside.fbsbx.com/p.jpg' },
  },
  {
    id: 'twitter',
    make: (o) => Twitter({ ...o, version: '2.0' }),
    authorize: 'https://x.com/i/oauth2/authorize',
    params: { scope: 'users.read tweet.read offline.access' },
    checks: ['state', 'pkce'],
    token: 'https://api.x.com/2/oauth2/token',
    auth: 'basic',
    resources: [
      {
        method: 'GET',
        url: 'https://api.x.com/2/users/me',
        query: { 'user.fields': 'profile_image_url' },
        answer: { json: { data: { id: '2244994945', name: 'X Dev', username: 'XDevelopers', profile_image_url: 'https://pbs.twimg.com/p.jpg' } } },
      },
    ],
    user: { id: '2244994945', name: 'X Dev', email: null, image: 'https://pbs.twimg.com/p.jpg' },
  },
  {
    id: 'linkedin',
    make: (o) => LinkedIn(o),
    discovery: oidc('https://www.linkedin.com/oauth', {
      authorization: 'https://www.linkedin.com/oauth/v2/authorization',
      token: 'https://www.linkedin.com/oauth/v2/accessToken',
      jwks: 'https://www.linkedin.com/oauth/openid/jwks',
      userinfo: 'https://api.linkedin.com/v2/userinfo',
    }),
    authorize: 'https://www.linkedin.com/oauth/v2/authorization',
    params: { scope: 'openid profile email' },
    checks: ['state'],
    token: 'https://www.linkedin.com/oauth/v2/accessToken',
    auth: 'post',
    idToken: { sub: '782bbtaQ', name: 'Li Nk', email: 'li@example.com', picture: 'https://media.licdn.com/p.jpg' },
    user: { id: '782bbtaQ', name: 'Li Nk', email: 'li@example.com', image: 'https://media.licdn.com/p.jpg' },
  },
  {
    id: 'slack',
    make: (o) => Slack(o),
    discovery: oidc('https://slack.com', {
      authorization: 'https://slack.com/openid/connect/authorize',
      token: 'https://slack.com/api/openid.connect.token',
      jwks: 'https://slack.com/openid/connect/keys',
      userinfo: 'https://slack.com/api/openid.connect.userInfo',
    }),
    authorize: 'https://slack.com/openid/connect/authorize',
    params: { scope: 'openid profile email' },
    checks: ['state', 'nonce'],
    token: 'https://slack.com/api/openid.connect.token',
    auth: 'basic',
    idToken: { sub: 'U0R7JM', name: 'Sla Ck', email: 'slack@example.com', picture: 'https://secure.gravatar.com/s.jpg' },
    user: { id: 'U0R7JM', name: 'Sla Ck', email: 'slack@example.com', image: 'https://secure.gravatar.com/s.jpg' },
  },
  {
    id: 'spotify',
    make: (o) => Spotify(o),
    authorize: 'https://accounts.spotify.com/authorize',
    params: { scope: 'user-read-email' },
    checks: ['state'],
    token: 'https://accounts.spotify.com/api/token',
    auth: 'basic',
    resources: [{ method: 'GET', url: 'https://api.spotify.com/v1/me', answer: { json: { id: 'wizzler', display_name: 'Wiz', email: 'wiz@example.com', images: [{ url: 'https://i.scdn.co/w.jpg' }] } } }],
    user: { id: 'wizzler', name: 'Wiz', email: 'wiz@example.com', image: 'https://i.scdn.co/w.jpg' },
  },
  {
    id: 'twitch',
    make: (o) => Twitch(o),
    discovery: oidc('https://id.twitch.tv/oauth2', {
      authorization: 'https://id.twitch.tv/oauth2/authorize',
      token: 'https://id.twitch.tv/oauth2/token',
      jwks: 'https://id.twitch.tv/oauth2/keys',
      userinfo: 'https://id.twitch.tv/oauth2/userinfo',
    }),
    authorize: 'https://id.twitch.tv/oauth2/authorize',
    params: { scope: 'openid user:read:email', claims: '{"id_token":{"email":null,"picture":null,"preferred_username":null}}' },
    checks: ['state', 'nonce'],
    token: 'https://id.twitch.tv/oauth2/token',
    auth: 'post',
    idToken: { sub: '713936733', preferred_username: 'streamer', email: 'tw@example.com', picture: 'https://static-cdn.jtvnw.net/p.png' },
    user: { id: '713936733', name: 'streamer', email: 'tw@example.com', image: 'https://static-cdn.jtvnw.net/p.png' },
  },
  {
    id: 'reddit',
    make: (o) => Reddit(o),
    authorize: 'https://www.reddit.com/api/v1/authorize',
    params: { scope: 'identity' },
    checks: ['state'],
    token: 'https://www.reddit.com/api/v1/access_token',
    auth: 'basic',
    resources: [{ method: 'GET', url: 'https://oauth.reddit.com/api/v1/me', answer: { json: { id: 'abc12', name: 'spez', icon_img: 'https://styles.redditmedia.com/i.png?width=256&amp;s=x' } } }],
    user: { id: 'abc12', name: 'spez', email: null, image: 'https://styles.redditmedia.com/i.png?width=256&s=x' },
  },
  {
    id: 'bitbucket',
    make: (o) => Bitbucket(o),
    authorize: 'https://bitbucket.org/site/oauth2/authorize',
    params: { scope: 'account email' },
    checks: ['state'],
    token: 'https://bitbucket.org/site/oauth2/access_token',
    auth: 'basic',
    resources: [
      { method: 'GET', url: 'https://api.bitbucket.org/2.0/user', answer: { json: { uuid: '{c5a7}', display_name: 'Bit Bucket', username: 'bb', links: { avatar: { href: 'https://bitbucket.org/a.png' } } } } },
      { method: 'GET', url: 'https://api.bitbucket.org/2.0/user/emails', answer: { json: { values: [{ email: 'bb@example.com', is_primary: true, is_confirmed: true }] } } },
    ],
    user: { id: '{c5a7}', name: 'Bit Bucket', email: 'bb@example.com', image: 'https://bitbucket.org/a.png' },
  },
  {
    id: 'atlassian',
    make: (o) => Atlassian(o),
    authorize: 'https://auth.atlassian.com/authorize',
    params: { audience: 'api.atlassian.com', prompt: 'consent', scope: 'read:me' },
    checks: ['state'],
    token: 'https://auth.atlassian.com/oauth/token',
    auth: 'post',
    resources: [
      { method: 'GET', url: 'https://api.atlassian.com/me', answer: { json: { account_id: '5b10', name: 'Atla Ssian', email: 'at@example.com', picture: 'https://avatar-management.services.atlassian.com/a.png' } } },
    ],
    user: { id: '5b10', name: 'Atla Ssian', email: 'at@example.com', image: 'https://avatar-management.services.atlassian.com/a.png' },
  },
  {
    id: 'zoom',
    make: (o) => Zoom(o),
    authorize: 'https://zoom.us/oauth/authorize',
    params: { scope: null },
    checks: ['state', 'pkce'],
    token: 'https://zoom.us/oauth/token',
    auth: 'basic',
    resources: [
      { method: 'GET', url: 'https://api.zoom.us/v2/users/me', answer: { json: { id: 'KDcuGIm1QgePTO8WbOqwIQ', first_name: 'Jill', last_name: 'Chill', email: 'jill@example.com', pic_url: 'https://zoom.us/p.jpg' } } },
    ],
    user: { id: 'KDcuGIm1QgePTO8WbOqwIQ', name: 'Jill Chill', email: 'jill@example.com', image: 'https://zoom.us/p.jpg' },
  },
  {
    id: 'dropbox',
    make: (o) => Dropbox(o),
    authorize: 'https://www.dropbox.com/oauth2/authorize',
    params: { token_access_type: 'offline', scope: 'account_info.read' },
    checks: ['state', 'pkce'],
    token: 'https://api.dropboxapi.com/oauth2/token',
    auth: 'basic',
    resources: [
      {
        method: 'POST',
        url: 'https://api.dropboxapi.com/2/users/get_current_account',
        answer: { json: { account_id: 'dbid:AAH4', name: { display_name: 'Franz Ferdinand' }, email: 'franz@dropbox.com', profile_photo_url: 'https://dl-web.dropbox.com/p.jpg' } },
      },
    ],
    user: { id: 'dbid:AAH4', name: 'Franz Ferdinand', email: 'franz@dropbox.com', image: 'https://dl-web.dropbox.com/p.jpg' },
  },
  {
    id: 'salesforce',
    make: (o) => Salesforce(o),
    authorize: 'https://login.salesforce.com/services/oauth2/authorize',
    params: { display: 'page' },
    checks: ['state', 'pkce'],
    token: 'https://login.salesforce.com/services/oauth2/token',
    auth: 'basic',
    resources: [
      { method: 'GET', url: 'https://login.salesforce.com/services/oauth2/userinfo', answer: { json: { user_id: '005x', name: 'Sales Force', email: 'sf@example.com', picture: 'https://c.salesforce.com/p.png' } } },
    ],
    user: { id: '005x', name: 'Sales Force', email: 'sf@example.com', image: 'https://c.salesforce.com/p.png' },
  },
  {
    id: 'authentik',
    make: (o) => Authentik({ ...o, issuer: 'https://auth.example.com/application/o/demo/' }),
    discovery: oidc('https://auth.example.com/application/o/demo/', {
      authorization: 'https://auth.example.com/application/o/authorize/',
      token: 'https://auth.example.com/application/o/token/',
      jwks: 'https://auth.example.com/application/o/demo/jwks/',
    }),
    authorize: 'https://auth.example.com/application/o/authorize/',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://auth.example.com/application/o/token/',
    auth: 'basic',
    idToken: { sub: 'ak1', preferred_username: 'akadmin', email: 'ak@example.com' },
    user: { id: 'ak1', name: 'akadmin', email: 'ak@example.com', image: null },
  },
  {
    id: 'zitadel',
    make: (o) => Zitadel({ ...o, issuer: 'https://demo.zitadel.cloud' }),
    discovery: oidc('https://demo.zitadel.cloud', {
      authorization: 'https://demo.zitadel.cloud/oauth/v2/authorize',
      token: 'https://demo.zitadel.cloud/oauth/v2/token',
      jwks: 'https://demo.zitadel.cloud/oauth/v2/keys',
    }),
    authorize: 'https://demo.zitadel.cloud/oauth/v2/authorize',
    params: { scope: 'openid email profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://demo.zitadel.cloud/oauth/v2/token',
    auth: 'basic',
    idToken: { sub: '2650', name: 'Zita Del', email: 'zi@example.com', picture: 'https://demo.zitadel.cloud/p.png' },
    user: { id: '2650', name: 'Zita Del', email: 'zi@example.com', image: 'https://demo.zitadel.cloud/p.png' },
  },
  {
    id: 'line',
    make: (o) => LINE(o),
    discovery: oidc('https://access.line.me', {
      authorization: 'https://access.line.me/oauth2/v2.1/authorize',
      token: 'https://api.line.me/oauth2/v2.1/token',
      jwks: 'https://api.line.me/oauth2/v2.1/certs',
      userinfo: 'https://api.line.me/oauth2/v2.1/userinfo',
    }),
    authorize: 'https://access.line.me/oauth2/v2.1/authorize',
    params: { scope: 'openid profile' },
    checks: ['state', 'pkce', 'nonce'],
    token: 'https://api.line.me/oauth2/v2.1/token',
    auth: 'post',
    hs256: true,
    idToken: { sub: 'U4af4980629', name: 'Taro Line', picture: 'https://profile.line-scdn.net/p' },
    user: { id: 'U4af4980629', name: 'Taro Line', email: null, image: 'https://profile.line-scdn.net/p' },
  },
  {
    id: 'kakao',
    make: (o) => Kakao(o),
    authorize: 'https://kauth.kakao.com/oauth/authorize',
    params: { scope: null },
    checks: ['state'],
    token: 'https://kauth.kakao.com/oauth/token',
    auth: 'post',
    resources: [
      {
        method: 'GET',
        url: 'https://kapi.kakao.com/v2/user/me',
        answer: { json: { id: 123456789, kakao_account: { email: 'kakao@example.com', profile: { nickname: '홍길동', profile_image_url: 'http://k.kakaocdn.net/p.jpg' } } } },
      },
    ],
    user: { id: '123456789', name: '홍길동', email: 'kakao@example.com', image: 'http://k.kakaocdn.net/p.jpg' },
  },
  {
    id: 'naver',
    make: (o) => Naver(o),
    authorize: 'https://nid.naver.com/oauth2.0/authorize',
    params: { scope: null },
    checks: ['state'],
    token: 'https://nid.naver.com/oauth2.0/token',
    auth: 'post',
    resources: [
      {
        method: 'GET',
        url: 'https://openapi.naver.com/v1/nid/me',
        answer: { json: { resultcode: '00', message: 'success', response: { id: '32742776', nickname: 'OpenAPI', email: 'openapi@naver.com', profile_image: 'https://ssl.pstatic.net/p.png' } } },
      },
    ],
    user: { id: '32742776', name: 'OpenAPI', email: 'openapi@naver.com', image: 'https://ssl.pstatic.net/p.png' },
  },
];

describe('presets against their documented endpoints', () => {
  const world = new ProviderWorld();
  let jwk: JWK;
  let privateKey: CryptoKey;
  before(async () => {
    await world.start();
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'preset-key', alg: 'RS256', use: 'sig' };
  });
  after(() => world.stop());

  it('covers the 27 presets of issue 4', () => {
    assert.equal(new Set(CASES.map((c) => c.id)).size, 27);
  });

  for (const c of CASES) {
    it(`${c.id}: authorization URL, token request and profile mapping`, async () => {
      world.requests = [];
      world.routes.clear();
      let signedIn: { user: unknown; account: Record<string, unknown> | null } | undefined;
      const provider = c.make({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: world.fetch });
      const app = await startServer({
        secret: SECRET,
        url: APP,
        providers: [provider],
        callbacks: {
          signIn: ({ user, account }) => {
            signedIn = { user, account: account as Record<string, unknown> | null };
            return true;
          },
        },
      });
      const base = `${app.origin}/api/auth`;
      try {
        if (c.discovery) {
          const { url, ...doc } = c.discovery;
          world.on('GET', url.split('?')[0]!, () => ({ json: { ...doc, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] } }));
          world.on('GET', c.discovery.jwks_uri, () => ({ json: { keys: [jwk] } }));
        }
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(base);
        const start = await browser.fetch(`${base}/signin/${c.id}`, { method: 'POST', form: { csrfToken, callbackUrl: '/done', json: 'true' } });
        const { url } = (await start.json()) as { url: string };
        const auth = new URL(url);

        // 1. The authorization URL.
        assert.equal(auth.origin + auth.pathname, c.authorize);
        assert.equal(auth.searchParams.get('client_id'), CLIENT_ID);
        assert.equal(auth.searchParams.get('response_type'), 'code');
        assert.equal(auth.searchParams.get('redirect_uri'), `${APP}/callback/${c.id}`);
        for (const [key, value] of Object.entries(c.params)) assert.equal(auth.searchParams.get(key), value, `param ${key}`);
        assert.equal(auth.searchParams.has('state'), c.checks.includes('state'), 'state');
        assert.equal(auth.searchParams.get('code_challenge_method'), c.checks.includes('pkce') ? 'S256' : null, 'pkce');
        assert.equal(auth.searchParams.has('nonce'), c.checks.includes('nonce'), 'nonce');

        // 2. The provider's answers: tokens (with an ID token for OIDC), then the profile resources.
        const tokenBody: Record<string, unknown> = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1' };
        if (c.idToken) {
          const now = Math.floor(Date.now() / 1000);
          const claims = { iss: c.discovery!.issuer, aud: CLIENT_ID, iat: now, exp: now + 600, nonce: auth.searchParams.get('nonce') ?? undefined, ...c.idToken };
          const jwt = new SignJWT(claims as Record<string, unknown>);
          tokenBody.id_token = c.hs256 ? await jwt.setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(CLIENT_SECRET)) : await jwt.setProtectedHeader({ alg: 'RS256', kid: 'preset-key' }).sign(privateKey);
        }
        world.on('POST', c.token, () => ({ json: tokenBody }));
        for (const resource of c.resources ?? []) world.on(resource.method, resource.url, () => resource.answer);

        // 3. The callback (form_post providers: the same-site re-post, with the cookies).
        const callback = `${base}/callback/${c.id}`;
        const fields: Record<string, string> = { code: 'code-123', ...(auth.searchParams.get('state') ? { state: auth.searchParams.get('state')! } : {}) };
        const done = c.formPost ? await browser.fetch(callback, { method: 'POST', form: { ...fields, ...c.formPost, gatehouse_repost: '1' } }) : await browser.fetch(`${callback}?${new URLSearchParams(fields)}`);
        assert.equal(done.status, 302);
        assert.equal(done.headers.get('location'), 'http://app.test/done', `no error: ${done.headers.get('location')}`);

        // 4. The token request as the provider documents it.
        const tokenRequest = world.requests.find((r) => r.method === 'POST' && r.url === c.token)!;
        assert.ok(tokenRequest, 'the token endpoint was called');
        const body = new URLSearchParams(tokenRequest.body);
        assert.equal(body.get('grant_type'), 'authorization_code');
        assert.equal(body.get('code'), 'code-123');
        assert.equal(body.get('redirect_uri'), `${APP}/callback/${c.id}`);
        assert.equal(body.has('code_verifier'), c.checks.includes('pkce'), 'code_verifier');
        if (c.auth === 'basic') {
          assert.equal(tokenRequest.headers.authorization, `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
          assert.equal(body.get('client_secret'), null);
        } else {
          assert.equal(tokenRequest.headers.authorization, undefined);
          assert.equal(body.get('client_id'), CLIENT_ID);
          assert.equal(body.get('client_secret'), CLIENT_SECRET);
        }
        for (const resource of c.resources ?? []) {
          const hit = world.requests.find((r) => r.method === resource.method && r.url.split('?')[0] === resource.url);
          assert.ok(hit, `${resource.method} ${resource.url} was called`);
          assert.equal(hit.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
          for (const [key, value] of Object.entries(resource.query ?? {})) assert.equal(new URL(hit.url).searchParams.get(key), value);
        }

        // 5. The profile mapping.
        assert.ok(signedIn);
        const { id, name, email, image } = signedIn.user as User;
        const expected = c.user;
        assert.deepEqual({ id, name: name ?? null, email: email ?? null, image: typeof image === 'string' && expected.image?.startsWith('data:') ? image.slice(0, expected.image.length) : (image ?? null) }, expected);
        assert.equal(signedIn.account?.provider, c.id);
        assert.equal(signedIn.account?.providerAccountId, expected.id);
        assert.equal(signedIn.account?.access_token, ACCESS_TOKEN);
      } finally {
        await app.close();
      }
    });
  }

  it('GitHub reads a v4 config unchanged: user options deep-merge over the preset', async () => {
    const provider = GitHub({ clientId: 'a', clientSecret: 'b', authorization: { params: { scope: 'read:user', allow_signup: 'false' } } });
    const authorization = provider.authorization as { url: string; params: Record<string, string> };
    assert.equal(authorization.url, 'https://github.com/login/oauth/authorize');
    assert.deepEqual(authorization.params, { scope: 'read:user', allow_signup: 'false' });
  });

  it('Twitter refuses OAuth 1.0a at construction', () => {
    assert.throws(() => Twitter({ clientId: 'a', clientSecret: 'b', version: '1.0A' }), TypeError);
  });
});
