// Peak memory and time of KPI Lens on one big generated orders file, in headless Debian
// Chromium: the renderer processes' resident memory (the page, its workers, their wasm
// memories; summed from /proc every 50 ms), idle before the file and at its peak, and the
// worker's WebAssembly memory (`data-worker-memory`) at the end.
//   ./dev build && cargo build --release -p kpi-cli && node bench/browser/memory.js [--rows=5000000]
const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { start } = require('./server');

const root = path.resolve(__dirname, '..', '..');
const rows = Number((process.argv.find((a) => a.startsWith('--rows=')) || '--rows=5000000').slice(7));
const file = path.join(root, 'target', 'bench', `orders_${rows}.csv`);

// Resident memory (bytes) of every Chromium renderer process.
function rendererRss() {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch { /* the process ended */ }
  }
  return total;
}

(async () => {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    execFileSync(path.join(root, 'target', 'release', 'kpi-lens'), ['gen', '--rows', String(rows), '--out', file]);
  }
  const size = fs.statSync(file).size;
  const server = await start(root, 4192);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto('http://127.0.0.1:4192/dist/');
    await page.waitForSelector('main.app[data-state="empty"][data-worker="ready"][data-reader="thread"]');
    await page.waitForTimeout(1000);
    const idle = rendererRss();
    let peak = idle;
    const timer = setInterval(() => { peak = Math.max(peak, rendererRss()); }, 50);
    const t0 = Date.now();
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('main.app[data-state="ready"], main.app[data-state="error"]', { timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    await page.waitForSelector('main.app[data-breakdowns="done"]', { timeout: 600_000 });
    clearInterval(timer);
    const state = await page.getAttribute('main.app', 'data-state');
    const timing = await page.textContent('.timing');
    const wasm = Number(await page.getAttribute('main.app', 'data-worker-memory'));
    const mib = (b) => (b / 1048576).toFixed(0);
    console.log(`Chromium ${browser.version()}, ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB: ${state} in ${seconds.toFixed(2)} s (${timing.trim()})`);
    console.log(`renderer RSS: idle ${mib(idle)} MiB, peak ${mib(peak)} MiB, +${mib(peak - idle)} MiB = ${((peak - idle) / size).toFixed(2)}x the file`);
    // The worker's WebAssembly memory never shrinks: its size at the end is its peak.
    console.log(`worker WebAssembly memory: ${mib(wasm)} MiB = ${(wasm / size).toFixed(2)}x the file`);
  } finally {
    await browser.close();
    server.close();
  }
})();
