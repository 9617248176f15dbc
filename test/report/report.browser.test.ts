import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildReport } from '../../src/report/index.ts';
import { writeFixtureRun } from './fixtureRun.ts';
import { ARTIFACTS, chromiumSkip, launchChromium, watchPage } from '../helpers/chromium.ts';

const skip = chromiumSkip;

let context: BrowserContext;
let page: Page;
let runDir: string;
let zipped: string;
let consoleErrors: string[] = [];
let requests: string[] = [];

/** In the page: counts non-white, warm (positive overlay), cool (negative overlay) and green (ROI) pixels of a PNG screenshot. */
async function pixelStats(png: Buffer): Promise<{ total: number; nonWhite: number; warm: number; cool: number; green: number }> {
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
    let nonWhite = 0, warm = 0, cool = 0, green = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      if (r > 150 && r > b + 60 && r >= g) warm++;
      if (b > 150 && b > r + 100 && b > g + 40) cool++;
      if (g > 120 && g > r + 50 && g > b + 50) green++;
    }
    return { total: d.length / 4, nonWhite, warm, cool, green };
  }, png.toString('base64'));
}

const viewerReady = (p: Page) => p.waitForFunction(() => [...document.querySelectorAll('.brain-viewer')].every((el) => el.hasAttribute('data-ready') || el.hasAttribute('data-error')), null, { timeout: 30000 });


before(async () => {
  if (skip) return;
  runDir = writeFixtureRun({ atlas: true }).runDir;
  const summary = await buildReport(runDir, join(runDir, 'report'));
  // report/ alone, zipped and unpacked somewhere else: no run folder beside it
  const zip = join(mkdtempSync(join(tmpdir(), 'b2m-zip-')), 'report.zip');
  assert.equal(spawnSync('zip', ['-qr', zip, 'report'], { cwd: runDir }).status, 0, 'zip failed');
  zipped = mkdtempSync(join(tmpdir(), 'b2m-unzipped-'));
  assert.equal(spawnSync('unzip', ['-q', zip, '-d', zipped]).status, 0, 'unzip failed');
  mkdirSync(ARTIFACTS, { recursive: true });
  context = await launchChromium({ acceptDownloads: true });
  page = await context.newPage();
  ({ errors: consoleErrors, requests } = watchPage(page));
  await page.goto(pathToFileURL(summary.index).href);
  await viewerReady(page);
});

after(async () => {
  await context?.close();
});

test('report in chromium: the page loads with no console errors and no network requests', { skip }, async () => {
  assert.equal(await page.title(), 'brain2music report');
  assert.deepEqual(consoleErrors, []);
  const remote = requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(remote, []);
});

test('report in chromium: the first screen holds the sentences and the summary table; the stage table is further down', { skip }, async () => {
  await page.evaluate(() => window.scrollTo(0, 0));
  const table = await page.locator('table.summary').boundingBox();
  assert.ok(table && table.y + table.height <= 900, `summary table ends at ${table && table.y + table.height}px, below the first screen`);
  assert.equal(await page.locator('table.summary tbody tr').count(), 3, 'two subjects and their mean');
  const first = await page.locator('ul.sentences li').first().boundingBox();
  assert.ok(first && first.y < table.y);
  assert.match((await page.locator('ul.sentences li').first().textContent()) ?? '', /^sub-001: the decoded music embedding picked the right clip/);
  const stages = await page.locator('table.stages').boundingBox();
  assert.ok(stages && stages.y > 900 * 3, 'the run section comes after the subjects');
  await page.screenshot({ path: join(ARTIFACTS, 'report-first-screen.png') });
});

test('report in chromium: NiiVue draws the anatomy and the overlay; the threshold slider hides voxels; the ROI layer shows', { skip }, async () => {
  const viewer = page.locator('.brain-viewer[data-subject="sub-001"]');
  assert.equal(await viewer.getAttribute('data-error'), null);
  assert.equal(await viewer.getAttribute('data-ready'), '1');
  assert.equal(await viewer.getAttribute('data-map'), 'builtin:sig', 'opens on the space with the most significant voxels');
  const canvas = viewer.locator('canvas');
  await viewer.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const shot = await canvas.screenshot();
  writeFileSync(join(ARTIFACTS, 'report-brain.png'), shot);
  const before = await pixelStats(shot);
  assert.ok(before.nonWhite > 0.05 * before.total, `canvas mostly empty: ${before.nonWhite} of ${before.total} pixels drawn`);
  assert.ok(before.warm > 50, `overlay not visible: ${before.warm} warm pixels`);
  await setThreshold(viewer, 0.95);
  const high = await pixelStats(await canvas.screenshot());
  assert.ok(high.warm < before.warm, `raising the threshold should hide voxels (${high.warm} vs ${before.warm} warm pixels)`);
  assert.match((await viewer.locator('.threshold-value').textContent()) ?? '', /^0\.\d{3}$/);
  assert.match((await viewer.locator('.threshold-text').textContent()) ?? '', /hiding \|r\| < 0\.\d{3}/);
  await setThreshold(viewer, 0);
  await viewer.locator('.show-rois').check();
  await page.waitForFunction(() => document.querySelector('.brain-viewer')?.getAttribute('data-rois') === 'shown', null, { timeout: 10000 });
  await page.waitForTimeout(300);
  const withRois = await pixelStats(await canvas.screenshot());
  assert.ok(withRois.green > before.green + 10, `ROI layer not drawn: ${withRois.green} vs ${before.green} green pixels`);
  await viewer.locator('.show-rois').uncheck();
  await page.waitForFunction(() => document.querySelector('.brain-viewer')?.getAttribute('data-rois') === 'hidden', null, { timeout: 10000 });
  assert.deepEqual(consoleErrors, []);
});

async function setThreshold(viewer: Locator, fractionOfMax: number): Promise<void> {
  await viewer.locator('.threshold').evaluate((el: HTMLInputElement, f) => {
    el.value = String(Number(el.max) * f);
    el.dispatchEvent(new Event('input'));
  }, fractionOfMax);
  await page.waitForTimeout(300);
}

async function selectMap(viewer: Locator, key: string): Promise<void> {
  await viewer.locator('.map-select').selectOption(key);
  await page.waitForFunction((k) => document.querySelector('.brain-viewer')?.getAttribute('data-map') === k, key, { timeout: 10000 });
  await page.waitForTimeout(300);
}

test('report in chromium: the colour bar is labelled with units, the threshold is stated and adjustable in q, "all voxels" is unthresholded', { skip }, async () => {
  const viewer = page.locator('.brain-viewer[data-subject="sub-001"]');
  assert.equal(await viewer.locator('.colorbar-label').textContent(), 'Pearson r (test)');
  const ticks = await viewer.locator('.colorbar-ticks span').allTextContents();
  assert.ok(ticks.length >= 2 && ticks.every((t) => /^-?\d\.\d\d$/.test(t)), ticks.join(' '));
  const text = viewer.locator('.threshold-text');
  assert.match((await text.textContent()) ?? '', /^builtin: r, significant voxels \(q ≤ 0\.05\): 44 voxels shown; significant at q ≤ 0\.05 \(Benjamini–Hochberg FDR\) with r > 0, as the encode stage wrote them; no display threshold/);
  // the fixture's significant voxels have q = 0.01: none survive q ≤ 0.001, all come back at 0.2
  await viewer.locator('.q-level').selectOption('0.001');
  await page.waitForFunction(() => /: 0 voxels shown/.test(document.querySelector('.threshold-text')?.textContent ?? ''), null, { timeout: 5000 });
  await viewer.locator('.q-level').selectOption('0.2');
  await page.waitForFunction(() => /: 44 voxels shown; significant at q ≤ 0\.2 .*recomputed from the q map/.test(document.querySelector('.threshold-text')?.textContent ?? ''), null, { timeout: 5000 });
  await viewer.locator('.q-level').selectOption('0.05');
  const canvas = viewer.locator('canvas');
  const sig = await pixelStats(await canvas.screenshot());
  await selectMap(viewer, 'builtin:r');
  const all = await pixelStats(await canvas.screenshot());
  writeFileSync(join(ARTIFACTS, 'report-brain-all-voxels.png'), await canvas.screenshot());
  assert.ok(all.warm > sig.warm + 50, `every positive voxel is drawn (${all.warm} vs ${sig.warm} warm pixels)`);
  assert.ok(all.cool > sig.cool + 50, `negative r is drawn in blue (${all.cool} vs ${sig.cool} cool pixels)`);
  assert.match((await text.textContent()) ?? '', /^builtin: r, all voxels \(unthresholded\): \d+ voxels shown; no display threshold/);
  assert.equal(await viewer.locator('.q-control').isHidden(), true, 'the q level applies to the significant map only');
  await selectMap(viewer, 'builtin:q');
  assert.equal(await viewer.locator('.colorbar-label').textContent(), '−log10 q (Benjamini–Hochberg FDR)');
  assert.ok((await viewer.locator('.colorbar-ticks span').allTextContents()).includes('q = 0.05 (1.30)'));
  await selectMap(viewer, 'builtin_minus_genre:rdiff');
  assert.equal(await viewer.locator('.colorbar-label').textContent(), 'r(builtin) − r(genre) (test)');
  await selectMap(viewer, 'builtin:sig');
});

test('report in chromium: clicking a slice shows a readout (voxel, mm, r, q, ROI); "jump to peak" goes to the largest r', { skip }, async () => {
  const viewer = page.locator('.brain-viewer[data-subject="sub-001"]');
  const readout = viewer.locator('.readout');
  const canvas = viewer.locator('canvas');
  const box = (await canvas.boundingBox())!;
  const before = await readout.textContent();
  // the middle of the first (axial) tile
  await canvas.click({ position: { x: box.width / 6, y: box.height / 2 } });
  await page.waitForFunction((b) => document.querySelector('.readout')?.textContent !== b, before, { timeout: 5000 });
  assert.match((await readout.textContent()) ?? '', /^voxel \(\d+, \d+, \d+\), \(-?[\d.]+, -?[\d.]+, -?[\d.]+\) mm: r = -?\d\.\d{3}, q = [\d.e-]+.*, noise ceiling = 0\.800, ROI: (S_temporal_transverse \(atlas label 74\)|G_temp_sup-G_T_transv \(atlas label 33\); decoding ROI rank 1)\.$/);
  const labels = await viewer.locator('.slice-labels span').allTextContents();
  assert.deepEqual(labels.map((l) => l.replace(/ = .*/, '')), ['axial z', 'coronal y', 'sagittal x']);
  // the peak, from the brain data file: voxel, mm and r
  const window: { B2M_BRAIN?: Record<string, { maps: { key: string; peak: { vox: number[]; mm: number[]; value: number } }[] }> } = {};
  runInNewContext(readFileSync(join(runDir, 'report/data/sub-001-brain.js'), 'utf8'), { window });
  const peak = window.B2M_BRAIN!['sub-001']!.maps.find((m) => m.key === 'builtin:sig')!.peak;
  await viewer.locator('.peak').click();
  await page.waitForTimeout(200);
  assert.equal(
    await readout.textContent(),
    `voxel (${peak.vox.join(', ')}), (${peak.mm.map((x) => x.toFixed(1)).join(', ')}) mm: r = ${peak.value.toFixed(3)}, q = 0.010 (significant at q ≤ 0.05), noise ceiling = 0.800, ROI: G_temp_sup-G_T_transv (atlas label 33); decoding ROI rank 1.`,
  );
});

test('report in chromium: the map selector lists every map the encode stage wrote', { skip }, async () => {
  const files = await page.locator('.brain-viewer[data-subject="sub-001"] .map-select option').evaluateAll((os) => os.map((o) => o.getAttribute('data-file')));
  const written = readdirSync(join(runDir, 'subjects/sub-001/encode')).filter((f) => f.endsWith('.nii.gz') && !['background.nii.gz', 'atlas.nii.gz'].includes(f));
  assert.deepEqual([...files].sort(), written.sort());
});

test('report in chromium: tables download as TSV and figures as SVG', { skip }, async () => {
  const download = async (link: Locator) => {
    const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
    return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
  };
  const tsv = await download(page.locator('a.download[download="summary.tsv"]'));
  assert.equal(tsv.name, 'summary.tsv');
  assert.match(tsv.text, /^subject\tidentification\tidentification_chance\t/);
  assert.equal(tsv.text.trim().split('\n').length, 3);
  const svg = await download(page.locator('a.download[download="sub-001-identification.svg"]'));
  assert.equal(svg.name, 'sub-001-identification.svg');
  assert.match(svg.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg class="heatmap" id="heatmap-sub-001" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg.text, /<\/svg>$/);
});

test('report in chromium: every audio element loads its file; heatmaps, spectrograms and tables are present', { skip }, async () => {
  await page.waitForFunction(() => [...document.querySelectorAll('audio')].every((a) => a.readyState >= 1 || a.error), null, { timeout: 20000 });
  const states = await page.$$eval('audio', (els) => els.map((a) => ({ src: a.getAttribute('src'), ready: a.readyState, error: a.error?.code ?? 0, duration: a.duration })));
  assert.equal(states.length, 16);
  for (const s of states) {
    assert.equal(s.error, 0, `${s.src} failed to load`);
    assert.ok(s.ready >= 1, `${s.src} not loaded`);
    assert.ok(s.duration > 0.7 && s.duration < 1.1, `${s.src} has duration ${s.duration}`);
  }
  assert.equal(await page.locator('svg.heatmap').count(), 3);
  const heat = await page.locator('#heatmap-sub-001').boundingBox();
  assert.ok(heat && heat.width > 100 && heat.height > 100);
  // spectrograms load lazily (a long clip table hides most rows): load them all to measure them
  const imgs = await page.$$eval('img', (els) => Promise.all(els.map(async (i) => ((i.loading = 'eager'), await i.decode(), { w: i.naturalWidth, h: i.naturalHeight }))));
  assert.ok(imgs.length >= 12 && imgs.every((i) => i.w === 240 && i.h === 96), JSON.stringify(imgs.slice(0, 3)));
  assert.equal(await page.locator('table.metrics').count(), 2);
  assert.equal(await page.locator('table.clips').count(), 2);
  assert.equal(await page.locator('table.rois').count(), 2);
  assert.equal(await page.locator('table.stages tbody tr').count(), 9);
  await page.screenshot({ path: join(ARTIFACTS, 'report-full.png'), fullPage: true });
});

test('report in chromium: the zipped report/ folder alone, unpacked elsewhere, plays its audio and shows its maps', { skip }, async () => {
  const p = await context.newPage();
  const { errors } = watchPage(p);
  await p.goto(pathToFileURL(join(zipped, 'report/index.html')).href);
  await viewerReady(p);
  await p.evaluate(() => document.querySelectorAll('audio').forEach((a) => a.load()));
  await p.waitForFunction(() => [...document.querySelectorAll('audio')].every((a) => a.readyState >= 1 || a.error), null, { timeout: 20000 });
  const states = await p.$$eval('audio', (els) => els.map((a) => ({ src: a.currentSrc, ready: a.readyState, error: a.error?.code ?? 0 })));
  assert.equal(states.length, 16);
  for (const s of states) {
    assert.ok(s.src.startsWith(pathToFileURL(join(zipped, 'report')).href), `${s.src} is outside the unpacked folder`);
    assert.equal(s.error, 0, `${s.src} failed to load`);
    assert.ok(s.ready >= 1, `${s.src} not loaded`);
  }
  assert.equal(await p.locator('.brain-viewer').getAttribute('data-ready'), '1');
  assert.deepEqual(errors, []);
  await p.close();
});
