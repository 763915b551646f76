import type { APIRequestContext } from '@playwright/test';
import { startModelServer, waitUntilReady, type RunningModelServer } from '../../test/integration/model-server-harness';
import { cliToken, test } from './fixtures';
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
