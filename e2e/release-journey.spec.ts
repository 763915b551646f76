import type { APIRequestContext, Page } from '@playwright/test';
import { cliToken, expect, signIn, test } from './support/fixtures';
import { E2E } from './support/environment';

async function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, email: string) {
  return playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken(email)}` } });
}

/** Waits until the environment's lane on the model page shows the version live (the deploy job runs in the background). */
async function expectLive(page: Page, environment: string, version: number) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId(`lane-${environment}`).getByTestId('lane-live-version')).toHaveText(`v${version}`, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
}

async function promoteInUi(page: Page, version: number, environment: string, note = '') {
  const form = page.getByRole('form', { name: `Promote v${version}` });
  await form.getByLabel('Environment').selectOption(environment);
  if (note) await form.getByLabel('Note for reviewers').fill(note);
  await form.getByRole('button', { name: 'Request promotion' }).click();
}

test('engineer ships a version to production, a reviewer approves it with the evidence, and the engineer rolls back', async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  const name = `journey-${Date.now().toString(36)}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');
  const reviewerApi = await apiAs(playwright, 'reviewer@example.com');

  // The training pipeline registers the model and two versions over the API; v1 is already in production.
  expect((await engineerApi.post('/api/v1/models', { data: { name, task: 'classification', team: 'e2e', tags: ['journey'] } })).status()).toBe(201);
  for (const accuracy of [0.9, 0.92]) {
    const registered = await engineerApi.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx', metrics: { accuracy }, params: { depth: 4 } } });
    expect(registered.status()).toBe(201);
  }
  for (const environment of ['development', 'staging', 'production']) {
    const requested = await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } });
    expect(requested.status()).toBe(201);
    const { id, status } = await requested.json();
    if (status === 'pending_approval') expect((await reviewerApi.post(`/api/v1/promotions/${id}/approve`, { data: {} })).status()).toBe(200);
    await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json()).liveVersion, { timeout: 20_000 }).toBe(1);
  }

  // Engineer, in the browser: v2 through development and staging, then asks for production.
  const engineer = await browser.newPage();
  await signIn(engineer, 'engineer@example.com');
  await engineer.goto(`/models/${name}`);
  await promoteInUi(engineer, 2, 'development');
  await expectLive(engineer, 'development', 2);
  await promoteInUi(engineer, 2, 'staging');
  await expectLive(engineer, 'staging', 2);
  await promoteInUi(engineer, 2, 'production', 'Two points better on the holdout.');
  await expect(engineer.getByTestId('lane-production').getByTestId('lane-pending')).toBeVisible();

  const pending = await (await engineerApi.get(`/api/v1/promotions?status=pending_approval&model=${name}`)).json();
  expect(pending.items).toHaveLength(1);
  const releaseId: string = pending.items[0].id;

  // The requester sees why there is nothing to click.
  await engineer.goto(`/releases/${releaseId}`);
  await expect(engineer.getByTestId('self-approval-notice')).toBeVisible();
  await expect(engineer.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // Reviewer, in a second browser context: finds it in the queue, reads the evidence, approves.
  const reviewerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.77' } });
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer, 'reviewer@example.com');
  await reviewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
  await reviewer.getByRole('link', { name: new RegExp(name) }).first().click();
  await expect(reviewer).toHaveURL(new RegExp(`/releases/${releaseId}`));
  await expect(reviewer.getByText('previous_environment').first()).toBeVisible();
  await expect(reviewer.getByText('accuracy').first()).toBeVisible();
  await expect(reviewer.getByText('Two points better on the holdout.')).toBeVisible();
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByTestId('release-status')).toHaveText(/live/i, { timeout: 20_000 });

  // The model page shows v2 live in production; the engineer rolls back to v1.
  await engineer.goto(`/models/${name}`);
  await expectLive(engineer, 'production', 2);
  await engineer.getByTestId('lane-production').getByRole('button', { name: 'Roll back production to v1' }).click();
  await engineer.getByRole('dialog').getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(engineer.getByTestId('lane-production').getByTestId('lane-live-version')).toHaveText('v1');
  const state = await (await engineerApi.get(`/api/v1/models/${name}/environments/production`)).json();
  expect(state.liveVersion).toBe(1);
  expect(state.release.isRollback).toBe(true);

  await engineerApi.dispose();
  await reviewerApi.dispose();
  await reviewerContext.close();
});

test('a manager reads releases but sees no approve button and gets 403 from the API', async ({ page, playwright }) => {
  const name = `mgr-${Date.now().toString(36)}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');
  await engineerApi.post('/api/v1/models', { data: { name } });
  await engineerApi.post(`/api/v1/models/${name}/versions`, { data: { metrics: { accuracy: 0.8 } } });
  for (const environment of ['development', 'staging']) {
    await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } });
    await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json()).liveVersion, { timeout: 20_000 }).toBe(1);
  }
  const requested = await (await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment: 'production' } })).json();
  expect(requested.status).toBe('pending_approval');

  await signIn(page, 'manager@example.com');
  await page.goto(`/releases/${requested.id}`);
  await expect(page.getByText(name).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reject' })).toHaveCount(0);

  const managerApi = await apiAs(playwright, 'manager@example.com');
  const response = await managerApi.post(`/api/v1/promotions/${requested.id}/approve`, { data: {} });
  expect(response.status()).toBe(403);
  expect((await response.json()).code).toBe('forbidden');
  await managerApi.dispose();
  await engineerApi.dispose();
});

test('someone who is both engineer and reviewer still cannot approve their own request, in the UI or the API', async ({ page, playwright, adminApi }) => {
  const email = `dual-${Date.now().toString(36)}@e2e.example`;
  const created = await adminApi.post('/api/v1/users', { data: { email, name: 'Dana Dual', roles: ['engineer', 'reviewer'], password: 'dual role password' } });
  expect(created.status()).toBe(201);
  const dualApi = await apiAs(playwright, email);
  const name = `self-${Date.now().toString(36)}`;
  await dualApi.post('/api/v1/models', { data: { name } });
  await dualApi.post(`/api/v1/models/${name}/versions`, { data: { metrics: { accuracy: 0.7 } } });
  for (const environment of ['development', 'staging']) {
    await dualApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } });
    await expect.poll(async () => (await (await dualApi.get(`/api/v1/models/${name}/environments/${environment}`)).json()).liveVersion, { timeout: 20_000 }).toBe(1);
  }
  const requested = await (await dualApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment: 'production' } })).json();

  const response = await dualApi.post(`/api/v1/promotions/${requested.id}/approve`, { data: {} });
  expect(response.status()).toBe(403);
  expect((await response.json()).code).toBe('self_approval');

  await signIn(page, email, 'dual role password');
  await page.goto(`/releases/${requested.id}`);
  await expect(page.getByTestId('self-approval-notice')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await dualApi.dispose();
});
