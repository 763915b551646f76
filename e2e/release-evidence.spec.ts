import { expect, signIn, test, withDatabase } from './support/fixtures';

// The demo seed leaves churn-predictor v4 waiting for production approval, with v3 live there.
test('a release keeps the evidence it was approved on; the release it replaced keeps its own', async ({ page }) => {
  await signIn(page, 'reviewer@example.com');
  await page.goto('/releases?model=churn-predictor');
  await page.getByRole('link', { name: 'Open churn-predictor v4 → production' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('churn-predictor v4 → production');
  const releaseUrl = page.url();

  const atRequest = page.getByTestId('evidence-request');
  await expect(atRequest.getByRole('heading', { level: 3 })).toContainText('At request,');
  await expect(atRequest).toContainText('Live in production then: v3, the version v4 would replace.');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('release-status')).toHaveText(/live/i, { timeout: 20_000 });

  // After approval v4 is what is live, yet the evidence still compares against v3.
  await page.reload();
  await expect(page.getByText(/Nothing else is live/)).toHaveCount(0);
  for (const testId of ['evidence-request', 'evidence-approval']) {
    const entry = page.getByTestId(testId);
    await expect(entry).toContainText('Live in production then: v3');
    // v4's AUC and its training change, as lib/demo measured and recorded them (deterministic).
    await expect(entry.getByRole('table', { name: /Metrics/ })).toContainText('0.8586');
    await entry.getByText(/Parameter changes \(3\)/).click();
    await expect(entry.getByText('l2: 5 → 1')).toBeVisible();
  }
  await expect(page.getByTestId('evidence-approval').getByRole('heading', { level: 3 })).toContainText('At approval by reviewer@example.com,');

  // v3's own production release, now superseded, still shows what it replaced (v2), not today's v4.
  await page.goto('/releases?status=all&model=churn-predictor&environment=production');
  await page.getByRole('link', { name: 'Open churn-predictor v3 → production' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('churn-predictor v3 → production');
  await expect(page.getByTestId('evidence-request')).toContainText('Live in production then: v2');
  expect(page.url()).not.toBe(releaseUrl);

  // A release from before evidence was recorded says so instead of computing it now.
  const legacyId = await withDatabase(async (client) => {
    const { rows } = await client.query(`
      INSERT INTO releases (id, "modelId", "versionId", "environmentId", status, "requestedById", steps, "endedAt")
      SELECT gen_random_uuid(), m.id, v.id, e.id, 'cancelled', v."createdById", '{}', now()
      FROM models m JOIN model_versions v ON v."modelId" = m.id AND v.version = 5, environments e
      WHERE m.name = 'churn-predictor' AND e.name = 'staging'
      RETURNING id`);
    return rows[0].id as string;
  });
  await page.goto(`/releases/${legacyId}`);
  await expect(page.getByTestId('evidence-missing')).toHaveText(/Evidence was not recorded for this release/);
});
