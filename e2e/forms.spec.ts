import type { Locator } from '@playwright/test';
import { expect, signIn, test, uniqueEmail } from './support/fixtures';

/** The field's error is next to it, named by its aria-describedby, and marked invalid. */
async function expectFieldError(field: Locator, message: string | RegExp) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(message);
}

test.describe('forms keep what was typed after a refused submit (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('create user: short password, no role, taken e-mail', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin');
    const form = page.getByRole('form', { name: 'Create user' });
    const email = uniqueEmail('kept');
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Name').fill('Kim Kept');
    await form.getByLabel('Initial password').fill('short');
    await form.getByLabel('viewer', { exact: true }).uncheck();
    await form.getByRole('button', { name: 'Create user' }).click();

    await expect(form.getByText('Choose at least one role.')).toHaveCount(1);
    await expectFieldError(form.getByRole('group', { name: 'Roles' }), /Choose at least one role/);
    await expectFieldError(form.getByLabel('Initial password'), /Passwords need at least 12 characters/);
    await expect(form.getByLabel('E-mail')).toHaveValue(email);
    await expect(form.getByLabel('Name')).toHaveValue('Kim Kept');
    await expect(form.getByLabel('Initial password')).toHaveValue('short');
    await expect(form.getByLabel('viewer', { exact: true })).not.toBeChecked();
    await expect(form.getByRole('alert')).toContainText('2 fields need a change');

    // A taken e-mail is the e-mail field's error, shown once.
    await form.getByLabel('E-mail').fill('viewer@example.com');
    await form.getByLabel('Initial password').fill('');
    await form.getByLabel('manager', { exact: true }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await expectFieldError(form.getByLabel('E-mail'), /already exists/);
    await expect(form.getByText(/A user with the e-mail viewer@example.com already exists/)).toHaveCount(1);
    await expect(form.getByLabel('Name')).toHaveValue('Kim Kept');
    await expect(form.getByLabel('manager', { exact: true })).toBeChecked();

    // Once it succeeds, the form is cleared for the next user.
    await form.getByLabel('E-mail').fill(email);
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect(form.getByRole('status').first()).toContainText(`Created ${email}.`);
    await expect(form.getByLabel('E-mail')).toHaveValue('');
  });

  test('webhook: the URL stays when no event is chosen', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/webhooks');
    const form = page.getByRole('form', { name: 'Create webhook' });
    await form.getByLabel('URL').fill('https://ci.example.com/hooks/kept');
    await form.getByLabel('Description').fill('Kept description');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await expectFieldError(form.getByRole('group', { name: 'Events' }), 'Choose at least one event.');
    await expect(form.getByText('Choose at least one event.')).toHaveCount(1);
    await expect(form.getByLabel('URL')).toHaveValue('https://ci.example.com/hooks/kept');
    await expect(form.getByLabel('Description')).toHaveValue('Kept description');
  });

  test('environment rules: a metric gate without a metric and with tolerance "abc" is refused next to its row', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/environments');
    const form = page.getByRole('form', { name: 'Rules of development' });
    await form.getByRole('button', { name: 'Add metric gate' }).click();
    const row = form.getByRole('group', { name: /Metric gate \d+/ }).last();
    await row.getByLabel('Tolerance', { exact: true }).fill('abc');
    await form.getByRole('button', { name: 'Save development' }).click();
    await expectFieldError(row.getByLabel('Metric', { exact: true }), /Name the metric/);
    await expectFieldError(row.getByLabel('Tolerance', { exact: true }), /Tolerance is a number/);
    await expect(form.getByText('Saved the rules')).toHaveCount(0);
    await expect(row.getByLabel('Tolerance', { exact: true })).toHaveValue('abc');
  });
});

test('model filters follow the URL: tag chip, then team, then Clear', async ({ page }) => {
  await signIn(page, 'viewer@example.com');
  await page.goto('/models');
  const filters = page.getByRole('search', { name: 'Filter models' });
  await page.getByTestId('model-churn-predictor').getByRole('link', { name: 'tabular' }).click();
  await expect(page).toHaveURL(/tag=tabular/);
  await expect(filters.getByLabel('Tag')).toHaveValue('tabular');
  await expect(page.getByTestId('model-fraud-detector')).toHaveCount(0);

  await filters.getByLabel('Team').selectOption('growth');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/tag=tabular/);
  await expect(page).toHaveURL(/team=growth/);
  await expect(filters.getByLabel('Tag')).toHaveValue('tabular');
  await expect(page.getByTestId('model-churn-predictor')).toBeVisible();
  await expect(page.getByTestId('model-demand-forecast')).toHaveCount(0);

  await filters.getByRole('link', { name: 'Clear' }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(filters.getByLabel('Tag')).toHaveValue('');
  await expect(filters.getByLabel('Team')).toHaveValue('');
  await expect(page.getByTestId('model-fraud-detector')).toBeVisible();
});
