// Hosting anywhere: after one visit the app works with the network off (service worker,
// our own files only), and the same build works from a sub-path such as /tools/kpi/.
const { test, expect } = require('@playwright/test');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const fixture = path.join(root, 'tests', 'fixtures', 'orders_basic.csv');

test('after the first visit the app opens and computes with the network off', async ({ page, context }) => {
  await page.goto('./');
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  // The service worker has cached this build's files and controls the page.
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null);
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('kpi-lens-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  expect(cached).toContain('/worker_bg.wasm');
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'empty');
  await page.setInputFiles('#file-input', fixture);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '2730.75');
  await context.setOffline(false);
});

test('the same build works from a sub-path (/tools/kpi/)', async ({ page }) => {
  // A plain static server whose /tools/kpi/ is the built dist/.
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-site-'));
  fs.mkdirSync(path.join(site, 'tools'));
  fs.symlinkSync(path.join(root, 'dist'), path.join(site, 'tools', 'kpi'));
  const port = 4181;
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { stdio: 'ignore' });
  try {
    await expect.poll(async () => {
      try { return (await fetch(`http://127.0.0.1:${port}/tools/kpi/`)).status; } catch { return 0; }
    }).toBe(200);
    const requests = [];
    // blob: URLs are made on this computer (the worker's reader thread is one), not fetched.
    page.on('request', (r) => { if (!r.url().startsWith('blob:')) requests.push(new URL(r.url()).pathname); });
    await page.goto(`http://127.0.0.1:${port}/tools/kpi/`);
    await page.setInputFiles('#file-input', fixture);
    await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', '2730.75');
    // Every file came from under the sub-path.
    expect(requests.filter((p) => !p.startsWith('/tools/kpi/'))).toEqual([]);
  } finally {
    server.kill();
  }
});
