import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import pg from 'pg';
import { E2E } from './environment';

export const DEMO_PASSWORD = 'modeldeck-demo';

/** An API token for a seeded user, made with the operator CLI (as a real operator would). */
export function cliToken(email: string): string {
  return execFileSync(process.execPath, ['lib/cli/modeldeck.mjs', 'token', 'create', '--email', email, '--name', `e2e-${randomBytes(3).toString('hex')}`], {
    env: { ...process.env, MODELDECK_DATA_DIR: E2E.dataDir, EMBEDDED_PG_PORT: String(E2E.pgPort), DATABASE_URL: '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A direct connection to the e2e database, for what only an attacker with DB access would do. */
export async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const { embeddedDbPassword } = JSON.parse(readFileSync(path.join(E2E.dataDir, 'secrets.json'), 'utf8')) as { embeddedDbPassword: string };
  const client = new pg.Client({ host: '127.0.0.1', port: E2E.pgPort, user: 'postgres', password: embeddedDbPassword, database: 'modeldeck' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Signs in through the form; waits until the app has moved on, unless failure is expected. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, options: { expectFailure?: boolean } = {}) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (options.expectFailure) {
    await expect(signInError(page)).toBeVisible();
  } else {
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  }
}

export function signInError(page: Page) {
  return page.locator('#signin-error');
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@e2e.example`;
}

/** A distinct client address per test, so per-address sign-in limits do not couple tests. */
function testAddress(): string {
  return `198.51.100.${1 + (randomBytes(1)[0]! % 250)}, 203.0.113.${1 + (randomBytes(1)[0]! % 250)}`;
}

type Fixtures = { adminApi: APIRequestContext };

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({}, use) => {
    await use({ 'x-forwarded-for': testAddress() });
  },
  adminApi: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({
      baseURL: E2E.baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${cliToken('admin@example.com')}` },
    });
    await use(api);
    await api.dispose();
  },
});

export { expect };
