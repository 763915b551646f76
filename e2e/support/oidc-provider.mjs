// A small but real OpenID Connect identity provider for the end-to-end tests, built on
// `oidc-provider` (the certified OP implementation). It serves discovery, JWKS, the
// authorization, token and userinfo endpoints on loopback, with one confidential client
// (ModelDeck) and a few fixed test identities. Sign-in is a one-field page: type the
// account's e-mail. Consent is granted automatically for the single, first-party client.
//
// Run alone with `node e2e/support/oidc-provider.mjs`; e2e/support/start-server.mjs starts
// it next to ModelDeck.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';

export const OIDC_CLIENT_ID = 'modeldeck-e2e';
export const OIDC_CLIENT_SECRET = 'modeldeck-e2e-client-secret';

/** The test identities. `sub` is opaque, as with real identity providers. */
export const OIDC_ACCOUNTS = [
  { sub: 'idp-1001', email: 'sso-admin@idp.example', name: 'Sasha Sso-Admin', groups: ['ml-admins', 'everyone'] },
  { sub: 'idp-1002', email: 'sso-eng@idp.example', name: 'Eno Sso-Engineer', groups: ['ml-eng', 'everyone'] },
  { sub: 'idp-1003', email: 'sso-nobody@idp.example', name: 'Noa Sso-Nobody', groups: ['unrelated'] },
];

function findAccountBy(key, value) {
  const wanted = String(value ?? '').trim().toLowerCase();
  return OIDC_ACCOUNTS.find((account) => account[key].toLowerCase() === wanted);
}

/**
 * Starts the identity provider on 127.0.0.1:<port> with issuer http://localhost:<port>.
 * Resolves once it listens; `close()` stops it.
 */
export async function startOidcProvider({
  port = Number(process.env.E2E_OIDC_PORT ?? 3299),
  appPort = Number(process.env.E2E_PORT ?? 3210),
} = {}) {
  const issuer = `http://localhost:${port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        client_name: 'ModelDeck (e2e)',
        redirect_uris: [`http://localhost:${appPort}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    // PKCE (S256) for every authorization request, confidential client or not.
    pkce: { required: () => true },
    jwks: { keys: [{ ...signingKey, kid: 'e2e-signing-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // `groups` rides on the openid scope, so it is released whenever an ID token is.
    claims: {
      openid: ['sub', 'groups'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put every granted claim in the ID token (not only in userinfo): next-auth v4 with
    // `idToken: true` builds the profile from the ID token claims alone.
    conformIdTokenClaims: false,
    // Our own login page below (at the default /interaction/:uid) instead of the
    // development one, so that subjects are opaque ids rather than whatever was typed.
    features: { devInteractions: { enabled: false } },
    async findAccount(ctx, id) {
      const account = findAccountBy('sub', id);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        async claims() {
          return { sub: account.sub, email: account.email, email_verified: true, name: account.name, groups: [...account.groups] };
        },
      };
    },
    // ModelDeck is the only client and first-party: consent is implied. Grant whatever
    // OIDC scope and claims it asks for, so the consent prompt never shows.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'groups']);
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<p role="alert">${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`);
    },
  });
  provider.on('server_error', (ctx, error) => console.error('[e2e idp] server error:', error));

  const oidc = provider.callback();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(url.pathname);
    if (!match) return oidc(req, res);
    interaction(provider, req, res, match[2] ?? '').catch((error) => {
      console.error('[e2e idp] interaction failed:', error);
      if (!res.headersSent) send(res, 400, page('Sign-in error', `<p role="alert">${escapeHtml(error.message)}</p>`));
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  return {
    issuer,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined)).closeAllConnections()),
  };
}

/** The login page (GET), its submission (POST …/login) and "cancel" (POST …/abort). */
async function interaction(provider, req, res, action) {
  const details = await provider.interactionDetails(req, res);
  const base = `/interaction/${details.uid}`;

  if (action === '/abort' && req.method === 'POST') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name !== 'login') {
    // Consent is granted in loadExistingGrant; anything else is not part of this provider.
    return send(res, 501, page('Not supported', `<p role="alert">Prompt "${escapeHtml(details.prompt.name)}" is not supported.</p>`));
  }
  if (action === '/login' && req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const account = findAccountBy('email', form.get('email'));
    if (account) {
      return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    }
    return send(res, 200, loginPage(base, form.get('email') ?? '', 'No account with that e-mail.'));
  }
  return send(res, 200, loginPage(base, details.params.login_hint ?? '', undefined));
}

function loginPage(base, email, error) {
  return page(
    'Test IdP sign-in',
    `<h1>Test IdP</h1>
<form method="post" action="${base}/login" aria-label="Sign in to Test IdP">
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" value="${escapeHtml(email)}" required autofocus>
  ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
  <button type="submit">Continue</button>
</form>
<form method="post" action="${base}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16_384) throw new Error('Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const idp = await startOidcProvider();
  console.log(`Test IdP listening at ${idp.issuer} (client ${OIDC_CLIENT_ID})`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => idp.close().then(() => process.exit(0)));
}
