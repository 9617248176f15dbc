import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildReport } from '../../src/report/index.ts';
import { writeFixtureRun } from './fixtureRun.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : 'Debian chromium is not installed (scripts/setup.mjs --tests installs it)';
const ARTIFACTS = 'test-artifacts';

let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

/** In the page: counts non-white and warm-coloured (overlay) pixels of a PNG screenshot. */
async function pixelStats(png: Buffer): Promise<{ total: number; nonWhite: number; warm: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let nonWhite = 0;
    let warm = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      if (r > 150 && r > b + 60 && r >= g) warm++;
    }
    return { total: d.length / 4, nonWhite, warm };
  }, png.toString('base64'));
}

/** In the page: counts green-dominant pixels (the ROI layer) of a PNG screenshot. */
async function greenPixels(png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 1]! > 120 && d[i + 1]! > d[i]! + 50 && d[i + 1]! > d[i + 2]! + 50) n++;
    return n;
  }, png.toString('base64'));
}

before(async () => {
  if (skip) return;
  const { runDir } = writeFixtureRun();
  const summary = await buildReport(runDir, join(runDir, 'report'));
  mkdirSync(ARTIFACTS, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'b2m-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(summary.index).href);
  await page.waitForFunction(() => [...document.querySelectorAll('.brain-viewer')].every((el) => el.hasAttribute('data-ready') || el.hasAttribute('data-error')), null, { timeout: 20000 });
});

after(async () => {
  await context?.close();
});

test('report in chromium: the page loads with no console errors and no network requests', { skip }, async () => {
  assert.equal(await page.title(), 'brain2music report');
  assert.deepEqual(consoleErrors, []);
  const remote = requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'));
  assert.deepEqual(remote, []);
});

test('report in chromium: NiiVue draws the anatomy and the overlay, and the threshold slider hides voxels', { skip }, async () => {
  const viewer = page.locator('.brain-viewer[data-subject="sub-001"]');
  assert.equal(await viewer.getAttribute('data-error'), null);
  assert.equal(await viewer.getAttribute('data-ready'), '1');
  const canvas = viewer.locator('canvas');
  await page.waitForTimeout(300);
  const shot = await canvas.screenshot();
  writeFileSync(join(ARTIFACTS, 'report-brain.png'), shot);
  const before = await pixelStats(shot);
  assert.ok(before.nonWhite > 0.05 * before.total, `canvas mostly empty: ${before.nonWhite} of ${before.total} pixels drawn`);
  assert.ok(before.warm > 50, `overlay not visible: ${before.warm} warm pixels`);
  await viewer.locator('.threshold').evaluate((el: HTMLInputElement) => {
    el.value = String(Number(el.max) * 0.95);
    el.dispatchEvent(new Event('input'));
  });
  await page.waitForTimeout(300);
  const high = await pixelStats(await canvas.screenshot());
  writeFileSync(join(ARTIFACTS, 'report-brain-threshold.png'), await canvas.screenshot());
  assert.ok(high.warm < before.warm, `raising the threshold should hide voxels (${high.warm} vs ${before.warm} warm pixels)`);
  assert.match((await viewer.locator('.threshold-value').textContent()) ?? '', /^0\.\d{3}$/);
  // The selected decoding ROIs as a green layer.
  const greenBefore = await greenPixels(await canvas.screenshot());
  await viewer.locator('.show-rois').check();
  await page.waitForFunction(() => document.querySelector('.brain-viewer')?.getAttribute('data-rois') === 'shown', null, { timeout: 10000 });
  await page.waitForTimeout(300);
  const greenAfter = await greenPixels(await canvas.screenshot());
  assert.ok(greenAfter > greenBefore + 10, `ROI layer not drawn: ${greenAfter} vs ${greenBefore} green pixels`);
  assert.deepEqual(consoleErrors, []);
});

test('report in chromium: every audio element loads its file', { skip }, async () => {
  await page.waitForFunction(() => [...document.querySelectorAll('audio')].every((a) => a.readyState >= 1 || a.error), null, { timeout: 20000 });
  const states = await page.$$eval('audio', (els) => els.map((a) => ({ src: a.getAttribute('src'), ready: a.readyState, error: a.error?.code ?? 0, duration: a.duration })));
  assert.equal(states.length, 16);
  for (const s of states) {
    assert.equal(s.error, 0, `${s.src} failed to load`);
    assert.ok(s.ready >= 1, `${s.src} not loaded`);
    assert.ok(s.duration > 0.7 && s.duration < 1.1, `${s.src} has duration ${s.duration}`);
  }
});

test('report in chromium: heatmaps, spectrograms and tables are present', { skip }, async () => {
  assert.equal(await page.locator('svg.heatmap').count(), 3);
  const heat = await page.locator('#heatmap-sub-001').boundingBox();
  assert.ok(heat && heat.width > 100 && heat.height > 100);
  const imgs = await page.$$eval('img', (els) => els.map((i) => ({ w: i.naturalWidth, h: i.naturalHeight })));
  assert.ok(imgs.length >= 12 && imgs.every((i) => i.w === 240 && i.h === 96), JSON.stringify(imgs.slice(0, 3)));
  assert.equal(await page.locator('table.metrics').count(), 2);
  assert.equal(await page.locator('table.clips').count(), 2);
  assert.equal(await page.locator('table.rois').count(), 2);
  assert.equal(await page.locator('table.stages tbody tr').count(), 9);
  await page.screenshot({ path: join(ARTIFACTS, 'report-full.png'), fullPage: true });
});
