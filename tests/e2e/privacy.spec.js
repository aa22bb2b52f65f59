// Private by proof: every request the page makes is for our own static files, and none
// happens once the user's files are opened. The Content-Security-Policy is in force and
// nothing in the app trips it; and hostile names are only data.
const { test, expect } = require('@playwright/test');
const path = require('path');

const fixture = (name) => path.join(__dirname, '..', 'fixtures', name);

test('no request leaves the site, and none at all after files are dropped', async ({ page, context, baseURL }) => {
  const requests = [];
  let phase = 'load';
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), phase }));
  const cspViolations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  // A request the browser makes on its own (the icon) is not in `requests`: a failed one
  // shows as a console error.
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.text()} ${m.location().url}`); });

  await page.goto('./');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  // The worker says "ready" once its wasm is in: after that nothing more is needed.
  await page.waitForLoadState('networkidle');
  // The offline service worker has cached our files (its own GETs, at first visit only).
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null);
  phase = 'data';
  await page.setInputFiles('#file-input', [
    fixture('orders_messy.csv'), fixture('orders_it_cp1252.csv'), fixture('kinds/spend.csv'),
  ]);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await page.selectOption('#granularity', 'quarter');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.download-rejected').first().click(),
  ]);
  expect(download.suggestedFilename()).toContain('rejected');
  await page.click('#demo-button');
  await expect(page.locator('[data-kpi="revenue"]')).not.toHaveAttribute('data-value', '');

  const loaded = requests.filter((r) => r.phase === 'load');
  expect(loaded.length).toBeGreaterThan(3);
  for (const r of requests) {
    const local = r.url.startsWith(baseURL) || r.url.startsWith('blob:') || r.url.startsWith('data:');
    expect(local, `request to ${r.url}`).toBe(true);
    expect(r.method, r.url).toBe('GET');
  }
  const afterData = requests.filter((r) => r.phase === 'data' && !r.url.startsWith('blob:'));
  expect(afterData.map((r) => r.url)).toEqual([]);
  expect(cspViolations).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // The page's own badge, from Resource Timing, says the same.
  const badge = page.locator('.privacy-badge');
  await expect(badge).toHaveAttribute('data-foreign-requests', '0');
  await expect(badge).toHaveAttribute('data-requests-after-import', '0');
  await expect(badge).toContainText('0 bytes sent');
});

test('the built page carries a strict Content-Security-Policy', async ({ page }) => {
  await page.goto('./');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("form-action 'none'");
  expect(csp).not.toContain('unsafe-inline');
  // The app runs under it.
  await page.click('#demo-button');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
});

test('hostile names are only data: shown literally, never run, neutralised in exports', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto('./');
  await page.setInputFiles('#file-input', fixture('hostile_names.csv'));
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  // 10 + 20 + 40: H3 has no date.
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '70');
  // The names reach the page as text: in the salesperson filter and the rejected rows.
  const options = await page.locator('#filter-salesperson option').allTextContents();
  expect(options).toContain('<img src=x onerror=alert(1)>');
  expect(options).toContain('</svg><script>alert(2)</script>');
  await expect(page.locator('.rejected')).toContainText('=HYPERLINK(""http://evil.example""');
  await expect(page.locator('img')).toHaveCount(0);
  expect(await page.locator('script:not([src])').evaluateAll((s) => s.filter((x) => x.textContent.includes('alert')).length)).toBe(0);
  // Tables and chart labels show the names as text; the table download neutralises them.
  await expect(page.locator('[data-table="top-customers"] tbody')).toContainText('</svg><script>alert(2)</script>');
  await expect(page.locator('figure[data-chart="leaderboard"] svg')).toContainText('<img src=x onerror=alert(1)>');
  const [tableDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-table="salespeople"]').getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const tableCsv = require('fs').readFileSync(await tableDownload.path(), 'utf8');
  expect(tableCsv).toContain("'+cmd|");
  for (const line of tableCsv.trim().split('\n').slice(1)) expect(/^"?[=+\-@]/.test(line), line).toBe(false);
  await expect(page.locator('img')).toHaveCount(0);
  await page.selectOption('#filter-salesperson', '<img src=x onerror=alert(1)>');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '10');
  // The rejected-rows download cannot run as a spreadsheet formula.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.download-rejected').click(),
  ]);
  const text = require('fs').readFileSync(await download.path(), 'utf8');
  const cells = text.trim().split('\n').slice(1).map((l) => l.split(',').slice(2).join(','));
  for (const c of cells) expect(/^[=+\-@]/.test(c), c).toBe(false);
  expect(dialogs).toEqual([]);
});
