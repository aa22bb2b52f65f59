// The dashboard as a sales director uses it: several files dropped at once, the period and a
// filter changed, every chart drawn with the series it should have, tables sorted and
// downloaded, the report exported, text pasted, the Italian page, and an accessibility check.
// Numbers are compared with the CLI's report of the same files (computed natively).
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const fixture = (name) => path.join(root, 'tests', 'fixtures', name);
const cli = process.env.KPI_LENS_BIN || path.join(root, 'target', 'debug', 'kpi-lens');
const shots = path.join(__dirname, 'screenshots');

function demoFiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-demo-'));
  execFileSync(cli, ['demo', '--out', dir], { stdio: ['ignore', 'ignore', 'ignore'] });
  return fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()
    .sort((a, b) => (b === 'demo_orders.csv') - (a === 'demo_orders.csv'))
    .map((f) => path.join(dir, f));
}

function cliReport(files, args = []) {
  return JSON.parse(execFileSync(cli, ['report', ...files, '--format', 'json', ...args], { maxBuffer: 1 << 28 }).toString());
}

async function kpiValues(page) {
  return page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.dataset.value])));
}

function expectSameValues(page, report) {
  return kpiValues(page).then((v) => {
    for (const k of report.kpis) {
      expect(v[k.id], k.id).toBe(k.value === null ? '' : String(k.value));
    }
  });
}

async function readDownload(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

/// Each chart: its data-series equals the series groups inside its SVG, and the expected count.
async function chartSeries(page) {
  return page.$$eval('figure[data-chart]', (figs) => Object.fromEntries(figs.map((f) => [
    f.dataset.chart,
    { series: Number(f.dataset.series), points: Number(f.dataset.points), drawn: f.querySelectorAll('svg g.series').length },
  ])));
}

test('several files at once, period and filter changed: cards equal the CLI, every chart has its series', async ({ page }) => {
  test.setTimeout(120_000);
  const files = demoFiles();
  const all = cliReport(files);
  await page.goto('./');
  await page.setInputFiles('#file-input', files);
  const app = page.locator('main.app');
  await expect(app).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.import-card')).toHaveCount(files.length);
  await expectSameValues(page, all);
  await expect(app).toHaveAttribute('data-breakdowns', 'done');

  const salespeople = all.kpis.find((k) => k.id === 'revenue').breakdowns.salesperson.length;
  const cohortsShown = Math.min(18, all.cohorts.length);
  const charts = await chartSeries(page);
  const expected = {
    revenue: [1, 24], orders: [1, 24], aov: [1, 24], 'channel-mix': [2, 24], churn: [3, 24],
    'funnel-web': [1, 4], 'funnel-quotes': [1, 2], leaderboard: [1, salespeople], nps: [3, 11],
    cohorts: [cohortsShown, 12],
  };
  for (const [id, [series, points]] of Object.entries(expected)) {
    expect(charts[id], id).toEqual({ series, points, drawn: series });
  }
  // Hover values: every bar of the revenue chart has a tooltip with its value.
  const titles = await page.locator('figure[data-chart="revenue"] svg .mark title').allTextContents();
  expect(titles.length).toBe(24);

  // Quarterly, web orders only: the same as the CLI with the same options.
  await page.selectOption('#granularity', 'quarter');
  await expect(page.locator('figure[data-chart="revenue"]')).toHaveAttribute('data-points', '8');
  await page.selectOption('#filter-channel', 'web');
  await expect(page).toHaveURL(/channel=web/);
  const filtered = cliReport(files, ['--period', 'quarter', '--filter', 'channel=web']);
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value',
    String(filtered.kpis.find((k) => k.id === 'revenue').value));
  await expectSameValues(page, filtered);
  expect((await chartSeries(page)).orders).toEqual({ series: 1, points: 8, drawn: 1 });
});

test('tables sort and download; the report exports as the CLI prints it', async ({ page }) => {
  test.setTimeout(120_000);
  const files = demoFiles();
  await page.goto('./');
  await page.click('#demo-button');
  const app = page.locator('main.app');
  await expect(app).toHaveAttribute('data-breakdowns', 'done');
  const top = page.locator('[data-table="top-customers"]');
  const revenues = async () => (await top.locator('tbody tr td:nth-child(2)').allTextContents())
    .map((t) => Number(t.replace(/,/g, '')));
  const given = await revenues();
  expect(given.length).toBe(50);
  expect([...given].sort((a, b) => b - a)).toEqual(given);
  // Click "Revenue": biggest first; again: smallest first.
  await top.getByRole('button', { name: 'Revenue' }).click();
  await top.getByRole('button', { name: 'Revenue' }).click();
  await expect(top.locator('th[aria-sort="ascending"]')).toHaveCount(1);
  const ascending = await revenues();
  expect([...ascending].sort((a, b) => a - b)).toEqual(ascending);
  // The download holds the rows in the order shown, raw numbers.
  const csv = await readDownload(page, () => top.getByRole('button', { name: 'Download CSV' }).click());
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('Customer,Revenue,Orders,Days since last order,RFM segment');
  expect(lines.length).toBe(51);
  expect(Number(lines[1].split(',')[1])).toBe(ascending[0]);
  // Salespeople: one row per salesperson, with online share and win rate filled in.
  const sales = page.locator('[data-table="salespeople"] tbody tr');
  await expect(sales).toHaveCount(8);
  await expect(sales.first().locator('td').nth(5)).toContainText('%');

  // The JSON export equals `kpi-lens report --format json` of the same files.
  const exported = JSON.parse(await readDownload(page, () => page.click('[data-export="json"]')));
  const report = cliReport(files);
  expect(exported.kpis).toEqual(report.kpis);
  expect(exported.cohorts).toEqual(report.cohorts);
  expect(exported.top_customers).toEqual(report.top_customers);
  const md = await readDownload(page, () => page.click('[data-export="md"]'));
  expect(md).toContain('| Revenue | `revenue` |');
  const reportCsv = await readDownload(page, () => page.click('[data-export="csv"]'));
  expect(reportCsv.split('\n')[0]).toBe('id,label,value,unit');
});

test('a view change redraws the charts and tables in place: same elements, sort order kept', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await page.click('#demo-button');
  const app = page.locator('main.app');
  await expect(app).toHaveAttribute('data-breakdowns', 'done');
  await expect(page.locator('figure[data-chart="cohorts"]')).toHaveCount(1);
  // Mark the elements as the page built them, and sort a table.
  await page.evaluate(() => {
    for (const id of ['revenue', 'orders', 'cohorts']) document.querySelector(`figure[data-chart="${id}"]`).kept = true;
    document.querySelector('[data-table="top-customers"] table').kept = true;
  });
  const top = page.locator('[data-table="top-customers"]');
  await top.getByRole('button', { name: 'Orders' }).click();
  await expect(top.locator('th[aria-sort="descending"]')).toHaveCount(1);
  const revenueSvg = await page.locator('figure[data-chart="revenue"] .chart-svg').innerHTML();

  await page.selectOption('#granularity', 'quarter');
  await expect(page.locator('figure[data-chart="revenue"]')).toHaveAttribute('data-points', '8');
  await expect(page.locator('figure[data-chart="orders"]')).toHaveAttribute('data-points', '8');
  await expect(app).toHaveAttribute('data-breakdowns', 'done');
  // Redrawn (eight quarters, not 24 months), in the same figures and the same table.
  expect(await page.locator('figure[data-chart="revenue"] .chart-svg').innerHTML()).not.toBe(revenueSvg);
  expect(await page.locator('figure[data-chart="revenue"] svg .mark title').count()).toBe(8);
  expect(await page.evaluate(() => ['revenue', 'orders', 'cohorts']
    .map((id) => document.querySelector(`figure[data-chart="${id}"]`).kept === true))).toEqual([true, true, true]);
  expect(await page.evaluate(() => document.querySelector('[data-table="top-customers"] table').kept)).toBe(true);
  // The person's sort order still holds on the new rows.
  await expect(top.locator('th[aria-sort="descending"]')).toContainText('Orders');
  const orders = (await top.locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  expect(orders.length).toBeGreaterThan(0);
  expect([...orders].sort((a, b) => b - a)).toEqual(orders);
  // The downloads give the chart as it is now.
  const svg = await readDownload(page, () => page.locator('figure[data-chart="revenue"]').getByRole('button', { name: 'Revenue per period: SVG' }).click());
  expect(svg).toContain('2024-Q1');
  expect(svg).not.toContain('>2024-01<');
});

test('CSV text pasted on the page imports like a file', async ({ page }) => {
  await page.goto('./');
  await page.locator('.paste-box summary').click();
  await page.fill('#paste-text', fs.readFileSync(fixture('orders_basic.csv'), 'utf8'));
  await page.click('#paste-import');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '2730.75');
  await expect(page.locator('.import-card h3')).toHaveText('pasted-1.csv');
  // The file card previews the first rows under their headers.
  await page.locator('.preview summary').click();
  await expect(page.locator('.preview th').first()).toHaveText('order_id');
  await expect(page.locator('.preview tbody tr')).toHaveCount(5);
});

test.describe('in an Italian browser', () => {
  test.use({ locale: 'it-IT' });
  test('the page speaks Italian with Italian number and date formats', async ({ page }) => {
    await page.goto('./');
    await expect(page.locator('html')).toHaveAttribute('lang', 'it');
    await expect(page.locator('.drop-title')).toHaveText('Trascina qui i tuoi export CSV');
    await page.setInputFiles('#file-input', fixture('orders_basic.csv'));
    await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('[data-kpi="revenue"] .kpi-value')).toHaveText('2.730,75');
    await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '2730.75');
    await expect(page.locator('.range')).toContainText('Dati dal 1 gen 2024 al 30 apr 2024');
    await expect(page.locator('.kpi-group h2').first()).toHaveText('Acquisizione');
    // Switching to English redraws the words and numbers, not the values.
    await page.selectOption('#lang', 'en');
    await expect(page.locator('[data-kpi="revenue"] .kpi-value')).toHaveText('2,730.75');
    await expect(page.locator('.drop-title')).toHaveText('Drop your CSV exports here');
  });
});

for (const scheme of ['light', 'dark']) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
    test(`no serious or critical accessibility violation on the dashboard (${scheme}); screenshots saved`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.goto('./');
      await page.click('#demo-button');
      await expect(page.locator('main.app')).toHaveAttribute('data-breakdowns', 'done');
      // axe-core from npm, injected into the page (the test context bypasses our CSP for it).
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      expect(bad).toEqual([]);
      await page.screenshot({ path: path.join(shots, `dashboard-${scheme}.png`), fullPage: true });
      await page.locator('.charts').screenshot({ path: path.join(shots, `charts-${scheme}.png`) });
      // Half a laptop screen: nothing wider than the window.
      await page.setViewportSize({ width: 680, height: 900 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(shots, `dashboard-narrow-${scheme}.png`) });
    });
  });
}
