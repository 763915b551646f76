import { spawn, type ChildProcess } from 'node:child_process';
import type { APIRequestContext } from '@playwright/test';
import { startModelServer, waitUntilReady, type RunningModelServer } from '../../test/integration/model-server-harness';
import { churnDataset, generate } from '@/lib/demo/datasets';
import { cliToken, expect, test } from './fixtures';
import { E2E } from './environment';

/**
 * A model server of the spec's own for the whole file (specs run in parallel against one
 * dashboard, so each deploying spec uses its own server and environment). Call at the top level.
 * `reportAs`: the server reports every prediction to the dashboard with that user's CLI token,
 * as an engineer's service would (flushed every 500 ms, so a spec sees it soon).
 */
export function useModelServer(options: { reportAs?: string } = {}): () => RunningModelServer {
  let server: RunningModelServer | undefined;
  test.beforeAll(async () => {
    const reporting = options.reportAs
      ? { MODEL_SERVER_REPORT_URL: E2E.baseURL, MODEL_SERVER_REPORT_TOKEN: cliToken(options.reportAs), MODEL_SERVER_REPORT_INTERVAL_MS: '500' }
      : undefined;
    server = await startModelServer({ env: reporting });
    await waitUntilReady(server);
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}

/** What `demo:traffic` sends (scripts/demo-traffic.ts); no labels unless `labelShare` says so. */
export interface DemoTrafficOptions {
  environment: string;
  /** Requests per second. */
  rate: number;
  /** `--duration`: 90, 30s, 5m… */
  duration: string;
  labelShare?: number;
  shift?: { feature: string; factor: number };
}

/**
 * The demo traffic generator driving the spec's model server in the background, as a person
 * runs `npm run demo:traffic --server …`. Call at the top level; `start` launches it, `stop`
 * ends it early, and the end of the file stops it in any case.
 */
export function useDemoTraffic(server: () => RunningModelServer) {
  let traffic: ChildProcess | undefined;
  const stop = () => {
    traffic?.kill('SIGTERM');
    traffic = undefined;
  };
  test.afterAll(stop);
  return {
    start(options: DemoTrafficOptions) {
      stop();
      const { url, token } = server();
      const args = ['--server', url, '--environment', options.environment, '--rate', String(options.rate), '--duration', options.duration];
      args.push('--label-share', String(options.labelShare ?? 0));
      if (options.shift) args.push('--shift', `feature=${options.shift.feature},factor=${options.shift.factor}`);
      traffic = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-traffic.ts', ...args], {
        env: { ...process.env, MODEL_SERVER_TOKEN: token },
        stdio: 'ignore',
      });
    },
    stop,
  };
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
