// A big orders file is read as two halves at once (the worker and its helper worker): the
// page must show exactly what one pass gives — the CLI's one-pass report — including a
// repeated order number across the halves (its own text, read again from the file), a bad
// row in the second half and dates whose order only the second half settles. CRLF endings.
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const cli = process.env.KPI_LENS_BIN || path.join(root, 'target', 'debug', 'kpi-lens');
const file = path.join(root, 'target', 'e2e', 'halves_crlf.csv');

test.beforeAll(() => {
  const rows = 170000;
  const lines = ['order_id,order_date,customer_id,salesperson,channel,status,amount,margin'];
  for (let i = 0; i < rows; i++) {
    const late = i > rows * 3 / 4;
    const a = late ? 13 + (i % 15) : 1 + (i % 12);
    const b = 1 + (i % 12);
    const id = i === rows - 10 ? 17 : i;
    const amount = i % 10 === 0 ? `"${1 + (i % 9)},${String(i % 1000).padStart(3, '0')}.50"` : `${i % 977}.25`;
    const channel = ['web', 'EDI', 'email', 'phone', 'fax'][i % 5];
    if (i === rows - 20) lines.push('X1,not a date,C1,Rep 1,web,completed,1.00,0.10');
    lines.push(`ORD${String(id).padStart(7, '0')},${String(a).padStart(2, '0')}/${String(b).padStart(2, '0')}/2024,C${String(i % 9000).padStart(5, '0')},Rep ${String(i % 23).padStart(2, '0')},${channel},completed,${amount},${i % 50}.10`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  // Read in two halves only above 8 MiB (kpi_core::ingest::parallel::MIN_SPLIT_BYTES).
  expect(fs.statSync(file).size).toBeGreaterThan(8 << 20);
});

test('on 2 cores a big file is read in one pass unless the address asks for halves', async ({ page }) => {
  test.skip(require('os').cpus().length >= 4, 'the default differs with 4 or more cores');
  await page.goto('./');
  // Its slices (8 MiB: this file is two of them) come from the worker's reader thread.
  await expect(page.locator('main.app')).toHaveAttribute('data-reader', 'thread');
  // The worker's memory is told with its answers: none yet.
  await expect(page.locator('main.app')).toHaveAttribute('data-worker-memory', '0');
  await page.setInputFiles('#file-input', file);
  await expect(page.locator('main.app')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.import-card[data-file="halves_crlf.csv"]')).toHaveAttribute('data-read', 'one-pass');
  // Whole 64 KiB WebAssembly pages, more than half the file: its columns and arranged
  // orders alone take that.
  const memory = Number(await page.getAttribute('main.app', 'data-worker-memory'));
  expect(memory % 65536).toBe(0);
  expect(memory).toBeGreaterThan(fs.statSync(file).size / 2);
  const report = JSON.parse(execFileSync(cli, ['report', file, '--format', 'json', '--one-pass', '--no-breakdowns'], { maxBuffer: 1 << 28 }).toString());
  const values = await page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.dataset.value])));
  for (const k of report.kpis) {
    expect(values[k.id], k.id).toBe(k.value === null ? '' : String(k.value));
  }
  await expect(page.locator('.import-card[data-file="halves_crlf.csv"]')).toHaveAttribute('data-rows-ok', String(report.imports[0].rows_ok));
});

test('two halves at once give the one-pass report, repeats and bad rows included', async ({ page }) => {
  test.setTimeout(120_000);
  const report = JSON.parse(execFileSync(cli, ['report', file, '--format', 'json', '--one-pass', '--no-breakdowns'], { maxBuffer: 1 << 28 }).toString());
  // Two halves are the default with 4+ cores only (no gain measured on 2): asked for here.
  await page.goto('./?halves=on');
  await page.setInputFiles('#file-input', file);
  const app = page.locator('main.app');
  await expect(app).toHaveAttribute('data-state', 'ready');
  const card = page.locator('.import-card[data-file="halves_crlf.csv"]');
  await expect(card).toHaveAttribute('data-read', 'two-halves');
  await expect(card).toContainText('read as two halves at once');
  const values = await page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.dataset.value])));
  for (const k of report.kpis) {
    expect(values[k.id], k.id).toBe(k.value === null ? '' : String(k.value));
  }
  const summary = report.imports[0];
  expect(summary.duplicates).toBe(1);
  await expect(card).toHaveAttribute('data-rows-ok', String(summary.rows_ok));
  await expect(card).toHaveAttribute('data-rows-rejected', '2');
  // The repeat, with its line and its own text from the second half.
  const repeat = summary.rejected_preview.find((r) => r.reason.startsWith('duplicate'));
  await expect(card.locator('.rejected')).toContainText(repeat.reason);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.locator('.download-rejected').click(),
  ]);
  const text = fs.readFileSync(await download.path(), 'utf8');
  // What a person sees: the timing split (reading, KPIs) and the card saying two halves.
  await expect(page.locator('.timing')).toContainText(/reading \d+ ms, KPIs \d+ ms/);
  await page.locator('.range').screenshot({ path: path.join(__dirname, 'screenshots', 'halves-timing.png') });
  await card.screenshot({ path: path.join(__dirname, 'screenshots', 'halves-import-card.png') });
  expect(text).toContain(`${repeat.line},`);
  expect(text).toContain(repeat.raw.split(',')[0] + ',' + repeat.raw.split(',')[1]);
  expect(repeat.raw.startsWith('ORD0000017,')).toBe(true);
});
