import type { APIRequestContext } from '@playwright/test';
import { startModelServer, waitUntilReady, type RunningModelServer } from '../../test/integration/model-server-harness';
import { churnDataset, generate } from '@/lib/demo/datasets';
import { cliToken, expect, test } from './fixtures';
import { E2E } from './environment';

/**
 * A model server of the spec's own for the whole file (specs run in parallel against one
 * dashboard, so each deploying spec uses its own server and environment). Call at the top level.
 */
export function useModelServer(): () => RunningModelServer {
  let server: RunningModelServer | undefined;
  test.beforeAll(async () => {
    server = await startModelServer();
    await waitUntilReady(server);
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}

/** An API client acting as a demo user through their CLI token. */
export function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, email: string) {
  return playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken(email)}` } });
}

/**
 * Creates an environment whose deployment backend is the spec's model server; `backend` adds
 * backend settings (e.g. canary thresholds). Returns the backend answer's text.
 */
export async function createServedEnvironment(
  adminApi: APIRequestContext,
  server: Pick<RunningModelServer, 'url' | 'token'>,
  environment: Record<string, unknown> & { name: string },
  backend: Record<string, unknown> = {},
): Promise<string> {
  expect((await adminApi.post('/api/v1/environments', { data: environment })).status()).toBe(201);
  const answer = await adminApi.put(`/api/v1/environments/${environment.name}/backend`, {
    data: { type: 'local', config: { url: server.url }, secret: server.token, ...backend },
  });
  const text = await answer.text();
  expect(answer.status(), text).toBe(200);
  return text;
}

/** Uploads unshifted rows of the churn generator (its numeric columns) as a version's drift reference. */
export async function uploadChurnReference(api: APIRequestContext, model: string, version: number): Promise<void> {
  const { rows } = generate(churnDataset, 2000, { seed: 11 });
  const numeric = churnDataset.features.map((feature, index) => ({ feature, index })).filter(({ feature }) => feature.type === 'numeric');
  const columns = Object.fromEntries(numeric.map(({ feature, index }) => [feature.name, rows.map((row) => row[index]!)]));
  const reference = await api.post(`/api/v1/models/${model}/versions/${version}/reference`, { data: { columns } });
  expect(reference.status(), await reference.text()).toBe(201);
}
