// The Customer value view: BG/NBD and Gamma-Gamma fitted in the worker. On the CDNOW sample
// with the paper's setup (39-week calibration, weekly unit) the validation fit reproduces
// Fader, Hardie & Lee (2005) and the Gamma-Gamma note to the printed digits, and every number
// equals the CLI's (`kpi-lens clv`). A file that can't support a fit says why, with no numbers.
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const cli = process.env.KPI_LENS_BIN || path.join(root, 'target', 'debug', 'kpi-lens');
// Written by tests/crosscheck/cdnow_check.py (run by ./dev test before the browser tests)
// from the CDNOW sample shipped in the Lifetimes wheel on PyPI.
const cdnow = path.join(root, 'target', 'cdnow', 'cdnow_sample.csv');
const shots = path.join(__dirname, 'screenshots');

async function param(scope, name) {
  return Number(await scope.locator(`[data-param="${name}"]`).getAttribute('data-value'));
}

test('CDNOW: the validation fit reproduces the papers and equals the CLI', async ({ page }) => {
  test.setTimeout(90_000);
  expect(fs.existsSync(cdnow), `${cdnow} (run tests/crosscheck/cdnow_check.py first)`).toBe(true);
  await page.goto('./');
  await page.setInputFiles('#file-input', cdnow);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const view = page.locator('section.customer-value');
  await page.fill('#clv-holdout', '1997-10-01');
  await page.click('#clv-compute');
  await expect(view).toHaveAttribute('data-clv-state', 'ready');
  const validation = view.locator('.clv-validation');
  const paper = { r: [0.243, 3], alpha: [4.414, 3], a: [0.793, 3], b: [2.426, 3], bgnbd_ll: [-9582.4, 1], p: [6.25, 2], q: [3.74, 2], gamma: [15.44, 2] };
  for (const [name, [want, digits]] of Object.entries(paper)) {
    expect(Number((await param(validation, name)).toFixed(digits)), name).toBe(want);
  }
  // The same numbers as the CLI, to the last bit.
  const out = JSON.parse(execFileSync(cli, ['clv', cdnow, '--calibration-end', '1997-09-30', '--unit', 'week']).toString());
  const a = out.analysis;
  for (const [name, want] of [['r', a.bgnbd.r], ['alpha', a.bgnbd.alpha], ['p', a.gamma_gamma.p],
    ['expected_purchases', a.totals.expected_purchases], ['clv_total', a.totals.clv]]) {
    expect(await param(validation, name), name).toBe(want);
  }
  // The tracking plot: actual and predicted, one point per week through the holdout.
  const chart = page.locator('figure[data-chart="clv-tracking"]');
  await expect(chart).toHaveAttribute('data-series', '2');
  await expect(chart).toHaveAttribute('data-points', String(a.tracking.length));
  expect(await chart.locator('svg g.series').count()).toBe(2);
  // Tables: top customers by predicted value, high-value customers at risk, RFM segments.
  await expect(page.locator('[data-table="clv-top"] tbody tr')).toHaveCount(20);
  await expect(page.locator('[data-table="rfm-segments"] tbody tr')).toHaveCount(8);
  await view.screenshot({ path: path.join(shots, 'customer-value.png') });
});

test('a file with too few repeat buyers says why, and shows no parameters', async ({ page }) => {
  await page.goto('./');
  await page.setInputFiles('#file-input', path.join(root, 'tests', 'fixtures', 'orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await page.click('#clv-compute');
  const view = page.locator('section.customer-value');
  await expect(view).toHaveAttribute('data-clv-state', 'ready');
  await expect(view.locator('.clv-error').first()).toContainText('only 3 customers bought more than once');
  await expect(view.locator('[data-param="r"]')).toHaveCount(0);
  await expect(view.locator('[data-param="clv_total"]')).toHaveCount(0);
});
