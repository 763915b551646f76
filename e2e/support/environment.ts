import path from 'node:path';

/** Where the end-to-end server runs; shared by the config, the server script and the specs. */
const port = Number(process.env.E2E_PORT ?? 3210);
export const E2E = {
  port,
  pgPort: Number(process.env.E2E_PG_PORT ?? 54339),
  /** The test identity provider (e2e/support/oidc-provider.mjs). */
  oidcIssuer: `http://localhost:${Number(process.env.E2E_OIDC_PORT ?? 3299)}`,
  baseURL: `http://localhost:${port}`,
  dataDir: path.resolve(process.env.E2E_DATA_DIR ?? '.data/e2e'),
};
