// Starts ModelDeck for the end-to-end tests: a fresh embedded database (seeded with the
// demo scenario by `modeldeck start`) and the production build on the e2e port, with SSO
// through the local test identity provider (e2e/support/oidc-provider.mjs) started first.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider } from './oidc-provider.mjs';

const port = process.env.E2E_PORT ?? '3210';
const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? '.data/e2e');
rmSync(dataDir, { recursive: true, force: true });

const idp = await startOidcProvider({ port: Number(process.env.E2E_OIDC_PORT ?? 3299), appPort: Number(port) });

const env = {
  ...process.env,
  PORT: port,
  MODELDECK_DATA_DIR: dataDir,
  EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54339',
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_DISPLAY_NAME: 'Test IdP',
  OIDC_ROLE_CLAIM: 'groups',
  OIDC_ROLE_MAP: 'ml-admins=admin;ml-eng=engineer,reviewer',
  // No fallback role: an identity in none of the mapped groups is refused.
  OIDC_DEFAULT_ROLES: '',
  // The specs act as a reverse proxy: each test's X-Forwarded-For names its own client
  // address (e2e/support/fixtures.ts), so per-address sign-in limits do not couple tests.
  TRUSTED_PROXY_HOPS: '1',
  // Specs run in parallel against this one server: the demo environments stay registry aliases,
  // and specs that deploy for real start their own model server and environment.
  MODELDECK_MODEL_SERVER: 'off',
  // No generated monitoring history: the specs that read charts send their own records.
  MODELDECK_DEMO_HISTORY_DAYS: process.env.MODELDECK_DEMO_HISTORY_DAYS ?? '0',
  // Batch jobs commit every 100,000 rows or second by default, so the batch spec's 400,000-row
  // job could finish within one progress poll; 1,000-row chunks let it see the bar move.
  BATCH_CHUNK_ROWS: '1000',
};
delete env.DATABASE_URL;
delete env.NEXTAUTH_URL;
delete env.NEXTAUTH_SECRET;

const child = spawn(process.execPath, ['lib/cli/modeldeck.mjs', 'start'], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await idp.close();
  process.exit(code ?? 0);
});
