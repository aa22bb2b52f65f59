// The walking skeleton as a person uses it: open the page, drop files or press the demo
// button, read the KPI cards. Values are compared with hand-computed numbers and with the
// CLI's output for the same file (the browser and the CLI must agree).
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const fixture = (name) => path.join(root, 'tests', 'fixtures', name);
const cli = process.env.KPI_LENS_BIN || path.join(root, 'target', 'debug', 'kpi-lens');
const shots = path.join(__dirname, 'screenshots');

/// The CLI's demo dataset (the same as the demo button's), orders file first: full paths.
function demoFiles() {
  const fs = require('fs');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'kpi-demo-'));
  execFileSync(cli, ['demo', '--out', dir], { stdio: ['ignore', 'ignore', 'ignore'] });
  return fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()
    .sort((a, b) => (b === 'demo_orders.csv') - (a === 'demo_orders.csv'))
    .map((f) => path.join(dir, f));
}

async function kpiValues(page) {
  return page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.dataset.value])));
}

async function openApp(page) {
  await page.goto('./');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
}

test('dropping the basic orders file shows the hand-computed KPIs', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const v = await kpiValues(page);
  // 100 + 250.50 + 75.25 + 1200 + 49.99 + 310 + 89.90 + 15 + 640.10 + 0.01
  expect(Number(v.revenue)).toBeCloseTo(2730.75, 9);
  expect(Number(v.orders)).toBe(10);
  expect(Number(v.customers)).toBe(6);
  expect(Number(v.aov)).toBeCloseTo(273.075, 9);
  // C1, C2, C3 ordered more than once, of 6 customers
  expect(Number(v.repeat_customer_rate)).toBeCloseTo(0.5, 12);
  // What a person reads on the card.
  await expect(page.locator('[data-kpi="revenue"] .kpi-value')).toHaveText('2,730.75');
  await expect(page.locator('[data-kpi="repeat_customer_rate"] .kpi-value')).toHaveText('50.0%');
  // One bar per month, January to April.
  const chart = page.locator('figure[data-chart="revenue"]');
  await expect(chart).toHaveAttribute('data-points', '4');
  await expect(chart.locator('svg')).toBeVisible();
  await expect(chart.locator('svg')).toContainText('2024-03');
  await page.screenshot({ path: path.join(shots, 'basic-orders.png'), fullPage: true });
});

test('the worker\'s warm-up report is drawn out of sight: no card ever reaches the page before data', async ({ page }) => {
  // The page draws the worker's warm-up report once to warm its code (app::warm_up_render),
  // in an element no document holds. Watch the document from its first node for any card.
  await page.addInitScript(() => {
    window.cardsSeen = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && (n.matches('[data-kpi]') || n.querySelector('[data-kpi]'))) window.cardsSeen++;
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await openApp(page);
  await expect(page.locator('main.app')).toHaveAttribute('data-worker', 'ready');
  expect(await page.evaluate(() => window.cardsSeen)).toBe(0);
  await expect(page.locator('[data-kpi]')).toHaveCount(0);
  // The observer does see cards once there is data.
  await page.setInputFiles('#file-input', fixture('orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(() => window.cardsSeen)).toBeGreaterThan(0);
});

test('the page and the CLI give identical numbers for the same file', async ({ page }) => {
  for (const name of ['orders_basic.csv', 'orders_messy.csv', 'orders_it_cp1252.csv']) {
    const report = JSON.parse(execFileSync(cli, ['report', fixture(name), '--format', 'json']).toString());
    await openApp(page);
    await page.setInputFiles('#file-input', fixture(name));
    await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
    const v = await kpiValues(page);
    for (const kpi of report.kpis) {
      const expected = kpi.value === null ? '' : String(kpi.value);
      // Same f64, same shortest text: compare the numbers exactly.
      expect(v[kpi.id] === '' ? '' : Number(v[kpi.id]), `${name} ${kpi.id}`)
        .toBe(expected === '' ? '' : Number(expected));
    }
  }
});

test('rejected rows are counted, shown with line and reason, and downloadable', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('orders_messy.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const card = page.locator('.import-card[data-file="orders_messy.csv"]');
  await expect(card).toHaveAttribute('data-rows-ok', '6');
  await expect(card).toHaveAttribute('data-rows-rejected', '4');
  await expect(card.locator('.rejected tbody tr')).toHaveCount(4);
  await expect(card.locator('.rejected')).toContainText('duplicate order_id "A-2" (first on line 3)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.locator('.download-rejected').click(),
  ]);
  expect(download.suggestedFilename()).toBe('orders_messy.rejected.csv');
  const text = require('fs').readFileSync(await download.path(), 'utf8');
  expect(text.trim().split('\n')).toHaveLength(5);
  expect(text).toContain('4,"order_date ""not a date"" is not a date"');
  await page.screenshot({ path: path.join(shots, 'messy-orders.png'), fullPage: true });
});

test('an Italian Windows-1252 export with ; and decimal commas reads right', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('orders_it_cp1252.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const v = await kpiValues(page);
  // 1.234,50 + 250,00 + 99,90 + € 2.000,00 + 15,60
  expect(Number(v.revenue)).toBeCloseTo(3600, 9);
  const card = page.locator('.import-card');
  await expect(card).toContainText('windows-1252');
  await expect(card).toContainText("';'");
});

test('the demo button shows a two-year B2B dataset with a chart', async ({ page }) => {
  await openApp(page);
  await page.click('#demo-button');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const v = await kpiValues(page);
  expect(Number(v.revenue)).toBeGreaterThan(1_000_000);
  expect(Number(v.customers)).toBeGreaterThanOrEqual(300);
  expect(Number(v.customers)).toBeLessThanOrEqual(500);
  expect(Number(v.aov)).toBeCloseTo(Number(v.revenue) / Number(v.orders), 6);
  // The demo is deterministic: the CLI writes the same files and must agree on every KPI.
  const files = demoFiles();
  expect(files).toHaveLength(12);
  const report = JSON.parse(execFileSync(cli, ['report', ...files]).toString());
  for (const kpi of report.kpis) {
    // Every KPI of the catalogue is computable on the demo data.
    expect(kpi.value, `${kpi.id} needs ${kpi.missing}`).not.toBeNull();
    expect(Number(v[kpi.id]), kpi.id).toBe(kpi.value);
  }
  await expect(page.locator('.import-card')).toHaveCount(12);
  await expect(page.locator('figure[data-chart="revenue"]')).toHaveAttribute('data-points', '24');
  await page.selectOption('#granularity', 'quarter');
  await expect(page.locator('figure[data-chart="revenue"]')).toHaveAttribute('data-points', '8');
  await page.screenshot({ path: path.join(shots, 'demo.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'demo-dark.png'), fullPage: true });
});

test('a file that is not a CSV gets a clear message, not a crash', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('not_a_csv.png'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('.errors')).toContainText('looks like a PNG image');
  // The page still works afterwards.
  await page.setInputFiles('#file-input', fixture('orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
});

test('overriding the date order re-reads the file and the numbers change', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('orders_it_cp1252.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '3600');
  await page.selectOption('#file-0-date-order', 'mdy');
  // As month/day, 15/01/2024 does not exist: IT-002 (250,00) is rejected on line 5.
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '3350');
  const card = page.locator('.import-card');
  await expect(card).toHaveAttribute('data-rows-rejected', '1');
  await expect(card.locator('.rejected')).toContainText('does not exist as month/day/year');
  await expect(card).toContainText('chosen by the user');
  // And back.
  await page.selectOption('#file-0-date-order', 'dmy');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '3600');
  await page.screenshot({ path: path.join(shots, 'override-date-order.png'), fullPage: true });
});

test('a column mapping can be changed and a file removed', async ({ page }) => {
  await openApp(page);
  await page.setInputFiles('#file-input', fixture('orders_basic.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  // Map the customer field to the order id column: every order becomes its own customer.
  await page.locator('.file-settings details.mapping summary').click();
  await page.selectOption('#file-0-map-customer_id', 'order_id');
  await expect(page.locator('[data-kpi="customers"]')).toHaveAttribute('data-value', '10');
  await expect(page.locator('[data-kpi="repeat_customer_rate"]')).toHaveAttribute('data-value', '0');
  await page.click('.remove-file');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  await expect(page.locator('[data-kpi]')).toHaveCount(0);
});

test('filters, period and range recompute every card, live in the URL hash, and match the CLI', async ({ page }) => {
  await openApp(page);
  await page.click('#demo-button');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  const files = demoFiles();
  const cliReport = (...args) => Object.fromEntries(JSON.parse(
    execFileSync(cli, ['report', ...files, ...args]).toString()).kpis.map((k) => [k.id, k.value]));

  await page.selectOption('#filter-salesperson', 'Giulia Rossi');
  const want = cliReport('--filter', 'salesperson=Giulia Rossi');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', String(want.revenue));
  for (const id of ['customers', 'win_rate', 'contacts_per_order', 'churn_rate', 'clv']) {
    expect(Number(await page.locator(`[data-kpi="${id}"]`).getAttribute('data-value')), id).toBe(want[id]);
  }
  expect(page.url()).toContain('salesperson=Giulia%20Rossi');

  await page.fill('#range-from', '2025-01-01');
  await page.locator('#range-from').dispatchEvent('change');
  await page.fill('#range-to', '2025-06-30');
  await page.locator('#range-to').dispatchEvent('change');
  const ranged = cliReport('--filter', 'salesperson=Giulia Rossi', '--from', '2025-01-01', '--to', '2025-06-30');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', String(ranged.revenue));
  // A chosen range is compared with the previous one: the card says by how much.
  await expect(page.locator('[data-kpi="revenue"] .kpi-change').first()).toContainText('vs previous');
  await page.screenshot({ path: path.join(shots, 'filtered.png'), fullPage: true });

  // The view survives a reload (the data does not: it was never stored).
  await page.reload();
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  await page.click('#demo-button');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', String(ranged.revenue));

  // A range given backwards: the page says so (once it crashed the worker), the cards are empty.
  await expect(page.locator('.range-warning')).toHaveCount(0);
  await page.fill('#range-from', '2025-07-01');
  await page.locator('#range-from').dispatchEvent('change');
  await expect(page.locator('.range-warning')).toContainText('From is after To');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '0');
  await page.locator('.toolbar[role="toolbar"]').screenshot({ path: path.join(shots, 'backwards-range.png') });
});

test('an online launch date splits service contacts per order before and after', async ({ page }) => {
  await openApp(page);
  await page.click('#demo-button');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await page.fill('#online-launch', '2025-01-01');
  await page.locator('#online-launch').dispatchEvent('change');
  const card = page.locator('[data-kpi="contacts_per_order"]');
  await expect(card.locator('.kpi-launch')).toContainText('before');
  const files = demoFiles();
  const report = JSON.parse(execFileSync(cli, ['report', ...files, '--online-launch', '2025-01-01']).toString());
  const split = report.kpis.find((k) => k.id === 'contacts_per_order').breakdowns.online_launch;
  const [before, after] = [split[0].value, split[1].value];
  // The demo's customers call less once they order online.
  expect(after).toBeLessThan(before);
  await expect(card.locator('.kpi-launch')).toContainText(`before: ${before.toFixed(2)}`);
  expect(page.url()).toContain('launch=2025-01-01');
});
