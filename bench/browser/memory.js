// Peak memory and time of KPI Lens on one big generated orders file, in headless Debian
// Chromium: the renderer processes' resident memory (the page, its workers, their wasm
// memories; summed from /proc every 50 ms), idle before the file and at its peak; the
// worker's WebAssembly memory (`data-worker-memory`) at the end; and every 100 ms the
// JS heaps and ArrayBuffer stores of the page and of every worker (by the DevTools
// protocol) plus the worker's WebAssembly memory (the page's `data-worker-memory`, told
// with every progress message and answer), summed: the issue's "peak JS + wasm memory".
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

// Every 100 ms, for the page and each of its workers (reader, worker, the halves helper
// while it lives): V8's used JS heap and its ArrayBuffer backing stores, by
// `Runtime.getHeapUsage` over the DevTools protocol (V8 counts no WebAssembly memory
// there), plus the worker's WebAssembly memory as the page last heard it. Keeps the largest
// sum seen, with its parts. A sample can miss a short-lived JS peak between two samples,
// and the wasm memory it adds can be one progress message old; a WebAssembly memory never
// shrinks, so its peak is in the last sample. (A halves helper's own WebAssembly memory is
// not seen: on 2 cores files are read in one pass.)
async function heapSampler(browser, page, origin) {
  const cdp = await browser.newBrowserCDPSession();
  const sessions = new Map(); // targetId -> { sessionId, name }
  const pending = new Map();
  let next = 0;
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (pending.has(m.id)) { pending.get(m.id)(m.result || null); pending.delete(m.id); }
  });
  const call = (sessionId, method, params = {}) => new Promise((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(null));
    setTimeout(() => { if (pending.delete(id)) resolve(null); }, 3000);
  });
  const peak = { total: 0, parts: [] };
  let stopped = false;
  const sample = async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const live = new Set();
    for (const t of targetInfos) {
      if (!['page', 'worker', 'service_worker'].includes(t.type)) continue;
      if (!t.url.startsWith(origin) && !t.url.startsWith('blob:' + origin)) continue;
      live.add(t.targetId);
      if (!sessions.has(t.targetId)) {
        try {
          const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
          sessions.set(t.targetId, { sessionId, name: t.type === 'page' ? 'page' : (t.title.startsWith('blob:') ? 'reader' : t.title || t.type) });
        } catch { /* gone already */ }
      }
    }
    for (const id of [...sessions.keys()]) if (!live.has(id)) sessions.delete(id);
    const got = await Promise.all([...sessions.values()].map(async (s) => [s.name, await call(s.sessionId, 'Runtime.getHeapUsage')]));
    const parts = got.filter(([, r]) => r).map(([name, r]) => ({ name, js: r.usedSize, buffers: r.backingStorageSize || 0 }));
    const wasm = Number(await page.getAttribute('main.app', 'data-worker-memory'));
    parts.push({ name: 'worker wasm', js: 0, buffers: wasm });
    const total = parts.reduce((a, p) => a + p.js + p.buffers, 0);
    if (total > peak.total) Object.assign(peak, { total, parts });
  };
  const loop = (async () => { while (!stopped) { await sample().catch(() => {}); await new Promise((r) => setTimeout(r, 100)); } })();
  return { peak, stop: async () => { stopped = true; await loop; await sample().catch(() => {}); } };
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
    const heaps = await heapSampler(browser, page, 'http://127.0.0.1:4192');
    let peak = idle;
    const timer = setInterval(() => { peak = Math.max(peak, rendererRss()); }, 50);
    const t0 = Date.now();
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('main.app[data-state="ready"], main.app[data-state="error"]', { timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    await page.waitForSelector('main.app[data-breakdowns="done"]', { timeout: 600_000 });
    clearInterval(timer);
    await heaps.stop();
    const state = await page.getAttribute('main.app', 'data-state');
    const timing = await page.textContent('.timing');
    const wasm = Number(await page.getAttribute('main.app', 'data-worker-memory'));
    const mib = (b) => (b / 1048576).toFixed(0);
    console.log(`Chromium ${browser.version()}, ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB: ${state} in ${seconds.toFixed(2)} s (${timing.trim()})`);
    console.log(`renderer RSS: idle ${mib(idle)} MiB, peak ${mib(peak)} MiB, +${mib(peak - idle)} MiB = ${((peak - idle) / size).toFixed(2)}x the file`);
    // The worker's WebAssembly memory never shrinks: its size at the end is its peak.
    console.log(`worker WebAssembly memory: ${mib(wasm)} MiB = ${(wasm / size).toFixed(2)}x the file`);
    const parts = heaps.peak.parts.map((p) => `${p.name} ${p.js ? `${mib(p.js)} + ` : ''}${mib(p.buffers)}`).join(', ');
    console.log(`peak JS + wasm memory (JS heaps + ArrayBuffers + wasm, every 100 ms): ${mib(heaps.peak.total)} MiB = ${(heaps.peak.total / size).toFixed(2)}x the file (${parts} MiB)`);
  } finally {
    await browser.close();
    server.close();
  }
})();
