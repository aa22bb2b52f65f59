// Storage is opt-in: by default nothing is stored anywhere; with the switch on, only header
// names and the person's choices are kept (never data), they come back for a file with the
// same headers, and Forget (or turning the switch off) clears them.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');

const fixture = path.join(__dirname, '..', 'fixtures', 'orders_basic.csv');

async function stored(page) {
  return page.evaluate(async () => ({
    local: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])),
    session: sessionStorage.length,
    cookies: document.cookie,
    databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
  }));
}

test('nothing is stored by default', async ({ page }) => {
  await page.goto('./');
  await page.setInputFiles('#file-input', fixture);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await page.locator('.file-settings details.mapping summary').click();
  await page.selectOption('#file-0-map-customer_id', 'order_id');
  await expect(page.locator('[data-kpi="customers"]')).toHaveAttribute('data-value', '10');
  expect(await stored(page)).toEqual({ local: {}, session: 0, cookies: '', databases: 0 });
});

test('with the switch on, choices (never data) come back for the same headers; Forget clears them', async ({ page }) => {
  await page.goto('./');
  await page.setInputFiles('#file-input', fixture);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await page.check('#remember-mappings');
  await page.locator('.file-settings details.mapping summary').click();
  await page.selectOption('#file-0-map-customer_id', 'order_id');
  await expect(page.locator('[data-kpi="customers"]')).toHaveAttribute('data-value', '10');
  const { local } = await stored(page);
  expect(Object.keys(local).sort()).toEqual(['kpi-lens:mappings', 'kpi-lens:remember-mappings']);
  const text = local['kpi-lens:mappings'];
  expect(text).toContain('order_id');
  // No cell of the file is in it: every data value of the fixture is absent.
  const cells = fs.readFileSync(fixture, 'utf8').trim().split('\n').slice(1).flatMap((l) => l.split(','));
  for (const c of cells.filter((c) => c.length > 2)) expect(text.includes(c), c).toBe(false);

  // A new visit, the same file: read with the remembered mapping.
  await page.reload();
  await page.setInputFiles('#file-input', fixture);
  await expect(page.locator('[data-kpi="customers"]')).toHaveAttribute('data-value', '10');
  await expect(page.locator('#remember-mappings')).toBeChecked();

  await page.click('#forget-mappings');
  expect(Object.keys((await stored(page)).local)).toEqual(['kpi-lens:remember-mappings']);
  await page.uncheck('#remember-mappings');
  expect((await stored(page)).local).toEqual({});
});
