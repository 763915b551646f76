import { randomBytes } from 'node:crypto';
import { expect, signIn, test } from './support/fixtures';

test('an admin connects an environment to KServe: the form shows its fields, names a bad namespace and keeps the kubeconfig secret', async ({ page, adminApi }) => {
  const environment = `k8s-${randomBytes(3).toString('hex')}`;
  expect((await adminApi.post('/api/v1/environments', { data: { name: environment } })).status()).toBe(201);
  const kubeconfig = `apiVersion: v1\nkind: Config\nusers:\n- name: x\n  user:\n    token: sekret-${randomBytes(4).toString('hex')}\n`;

  await signIn(page, 'admin@example.com');
  await page.goto('/admin/environments');
  const form = page.getByTestId(`backend-${environment}`);
  await expect(form.getByLabel('Model server URL')).toBeVisible();

  await form.getByLabel('Backend').selectOption({ label: 'KServe (Kubernetes)' });
  await expect(form.getByLabel('Model server URL')).toHaveCount(0);
  await expect(form.getByTestId('kserve-fields')).toBeVisible();
  await form.getByLabel('Namespace').fill('Not_A_Namespace');
  await form.getByLabel('Memory (optional)').fill('1Gi');
  await form.getByLabel('Kubeconfig (YAML)').fill(kubeconfig);
  await form.getByRole('button', { name: 'Connect backend' }).click();
  await expect(form).toContainText('The namespace must be a Kubernetes name');

  for (const [width, height] of [
    [1400, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await form.scrollIntoViewIfNeeded();
    await form.screenshot({ path: `test-results/kserve-backend-form-${width}.png` });
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  await form.getByLabel('Namespace').fill('models');
  await form.getByRole('button', { name: 'Connect backend' }).click();
  await expect(form.getByRole('status')).toContainText(`Saved the deployment backend of ${environment}.`);
  await expect(form.getByTestId('backend-summary')).toContainText('KServe (Kubernetes) (kubeconfig stored, encrypted)');
  await page.reload();
  await expect(form.getByLabel('Backend')).toHaveValue('kserve');
  await expect(form.getByLabel('Namespace')).toHaveValue('models');
  await expect(form.getByLabel('Kubeconfig (YAML)')).toHaveValue('');
  await expect(form.getByLabel('Kubeconfig (YAML)')).toHaveAttribute('placeholder', 'Stored — leave empty to keep it');
  expect(await page.content()).not.toContain('sekret-');

  const stored = await adminApi.get(`/api/v1/environments/${environment}/backend`);
  expect(await stored.json()).toMatchObject({ type: 'kserve', hasSecret: true, config: { namespace: 'models', resources: { memory: '1Gi' }, timeoutSeconds: 300 } });
  expect(await stored.text()).not.toContain('sekret-');

  // That kubeconfig names no cluster: the check says so instead of pretending.
  await form.getByRole('button', { name: 'Check connection' }).click();
  await expect(form).toContainText("The environment's kubeconfig cannot be used");
});
