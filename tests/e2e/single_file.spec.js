// The one-file build (tools/single_file.py: dist-single/kpi-lens.html) opened from disk, as
// from an intranet share or an e-mail: it imports a file and computes the same KPIs as the
// served app, under its own strict CSP, with no request at all.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { pathToFileURL } = require('url');

const root = path.resolve(__dirname, '..', '..');
const single = path.join(root, 'dist-single', 'kpi-lens.html');

test('the single-file build works from file:// and makes no request', async ({ page }) => {
  const requests = [];
  const violations = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(pathToFileURL(single).href);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  // The worker's reader thread starts here too (a blob: worker of the blob: worker).
  await expect(page.locator('main.app')).toHaveAttribute('data-reader', 'thread');
  await page.setInputFiles('#file-input', path.join(root, 'tests', 'fixtures', 'orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '2730.75');
  await expect(page.locator('[data-kpi="orders"]')).toHaveAttribute('data-value', '10');
  // The demo works too (the worker builds it), with its charts.
  await page.click('#demo-button');
  await expect(page.locator('main.app')).toHaveAttribute('data-breakdowns', 'done');
  await expect(page.locator('figure[data-chart="cohorts"] svg')).toBeVisible();
  // Only the file itself was loaded; blob: URLs are made in the page.
  expect(requests.filter((u) => !u.startsWith('blob:') && u !== pathToFileURL(single).href)).toEqual([]);
  expect(violations).toEqual([]);
});
