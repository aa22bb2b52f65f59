// Embedding: a host page on another origin iframes the app with ?embed=1&allow=<its origin>
// and posts a file; it gets the report (the CLI's JSON) back. A host whose origin is not
// allowed gets nothing, and the app logs a warning.
const { test, expect } = require('@playwright/test');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const cli = process.env.KPI_LENS_BIN || path.join(root, 'target', 'debug', 'kpi-lens');
const fixture = path.join(root, 'tests', 'fixtures', 'orders_basic.csv');
const ALLOWED = 'http://localhost:4175';

function hostSite(appUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-host-'));
  fs.copyFileSync(fixture, path.join(dir, 'orders_basic.csv'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html><body>
<iframe id="kpi" src="${appUrl}" width="1100" height="900" title="KPI Lens"></iframe>
<script>
window.received = [];
const frame = document.getElementById('kpi');
async function send() {
  const data = await (await fetch('orders_basic.csv')).arrayBuffer();
  frame.contentWindow.postMessage({ type: 'kpi-lens:files', files: [{ name: 'orders_basic.csv', data }] }, '*');
}
window.addEventListener('message', (ev) => {
  window.received.push({ origin: ev.origin, type: ev.data && ev.data.type });
  if (ev.data && ev.data.type === 'kpi-lens:ready' && !location.search.includes('manual')) send();
  if (ev.data && ev.data.type === 'kpi-lens:report') window.report = ev.data.report;
});
// A host the app does not know never hears "ready": it just keeps posting.
window.keepPosting = () => setInterval(send, 500);
window.send = send;
</script></body></html>`);
  return dir;
}

async function serve(dir, host, port) {
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', host === 'localhost' ? '127.0.0.1' : host, '--directory', dir], { stdio: 'ignore' });
  await expect.poll(async () => {
    try { return (await fetch(`http://127.0.0.1:${port}/`)).status; } catch { return 0; }
  }).toBe(200);
  return server;
}

test('an allowed host page gets the report of the file it posts', async ({ page, baseURL }) => {
  const appUrl = `${baseURL}?embed=1&allow=${encodeURIComponent(ALLOWED)}`;
  const server = await serve(hostSite(appUrl), 'localhost', 4175);
  try {
    await page.goto(`${ALLOWED}/`);
    await page.waitForFunction(() => window.report !== undefined, null, { timeout: 30_000 });
    const report = await page.evaluate(() => window.report);
    const want = JSON.parse(execFileSync(cli, ['report', fixture, '--format', 'json']).toString());
    expect(report.kpis).toEqual(want.kpis);
    expect(report.kpis.find((k) => k.id === 'revenue').value).toBe(2730.75);
    // Compact: no page header inside the frame.
    const frame = page.frameLocator('#kpi');
    await expect(frame.locator('main.app.embed')).toHaveAttribute('data-state', 'ready');
    await expect(frame.locator('header.top')).toBeHidden();
  } finally {
    server.kill();
  }
});

test("the host's files replace what a person opened in the frame: the host never sees it", async ({ page, baseURL }) => {
  const appUrl = `${baseURL}?embed=1&allow=${encodeURIComponent(ALLOWED)}`;
  const server = await serve(hostSite(appUrl), 'localhost', 4175);
  try {
    await page.goto(`${ALLOWED}/?manual`);
    const frame = page.frameLocator('#kpi');
    await frame.locator('#file-input').setInputFiles(path.join(root, 'tests', 'fixtures', 'orders_messy.csv'));
    await expect(frame.locator('main.app')).toHaveAttribute('data-state', 'ready');
    await page.evaluate(() => window.send());
    await page.waitForFunction(() => window.report !== undefined, null, { timeout: 30_000 });
    const report = await page.evaluate(() => window.report);
    expect(report.imports.map((i) => i.file_name)).toEqual(['orders_basic.csv']);
    const want = JSON.parse(execFileSync(cli, ['report', fixture, '--format', 'json']).toString());
    expect(report.kpis).toEqual(want.kpis);
  } finally {
    server.kill();
  }
});

test('a host on an origin that is not allowed gets nothing, and the app warns', async ({ page, baseURL }) => {
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning' && m.text().includes('KPI Lens: ignored a message')) warnings.push(m.text()); });
  const appUrl = `${baseURL}?embed=1&allow=${encodeURIComponent(ALLOWED)}`;
  const server = await serve(hostSite(appUrl), '127.0.0.1', 4176);
  try {
    await page.goto('http://127.0.0.1:4176/');
    const frame = page.frameLocator('#kpi');
    await expect(frame.locator('main.app')).toHaveAttribute('data-state', 'empty');
    await page.evaluate(() => window.keepPosting());
    await expect.poll(() => warnings.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(3000); // several more posts, none accepted
    expect(await page.evaluate(() => window.received)).toEqual([]);
    expect(await page.evaluate(() => window.report)).toBeUndefined();
    await expect(frame.locator('main.app')).toHaveAttribute('data-state', 'empty');
  } finally {
    server.kill();
  }
});
