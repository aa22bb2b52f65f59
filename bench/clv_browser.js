// Customer value in headless Chromium on 100,000 customers: the time from "Compute customer
// value" to the view ready (two BG/NBD + Gamma-Gamma fits and every customer's CLV, in the
// worker), and the page's responsiveness meanwhile. Usage (after ./dev build):
//   node bench/clv_browser.js [orders.csv]
// Default file: target/bench/orders_1m_100k_customers.csv, written if missing with
//   target/release/kpi-lens gen --rows 1000000 --customers 100000
const { chromium } = require('playwright-core');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const file = process.argv[2] || path.join(root, 'target', 'bench', 'orders_1m_100k_customers.csv');
if (!fs.existsSync(file)) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(path.join(root, 'target', 'release', 'kpi-lens'), ['gen', '--rows', '1000000', '--customers', '100000', '--out', file]);
}

(async () => {
  const port = 4190;
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(root, 'dist')], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const rows = [];
  try {
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.setInputFiles('#file-input', file);
      await page.waitForSelector('main.app[data-state="ready"]', { timeout: 120000 });
      const t0 = Date.now();
      await page.click('#clv-compute');
      // Meanwhile the page answers: a KPI's explanation opens at once.
      const clickMs = await page.evaluate(() => new Promise((resolve) => {
        const s = document.querySelector('[data-kpi="revenue"] details summary');
        const t = performance.now();
        s.click();
        requestAnimationFrame(() => resolve(performance.now() - t));
      }));
      await page.waitForSelector('section.customer-value[data-clv-state="ready"]', { timeout: 120000 });
      const wall = Date.now() - t0;
      const text = await page.textContent('section.customer-value .range');
      rows.push({ wall, worker: Number((text.match(/(\d+) ms/) || [])[1]), clickMs, text: text.trim() });
      await page.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
  rows.sort((a, b) => a.wall - b.wall);
  const median = rows[1];
  console.log(`| customers | wall (median of 3) | in the worker | click answered during the fit |`);
  console.log(`|---|---:|---:|---:|`);
  console.log(`| ${median.text.split(' customers')[0]} | ${(median.wall / 1000).toFixed(2)} s | ${(median.worker / 1000).toFixed(2)} s | ${median.clickMs.toFixed(0)} ms |`);
})();
