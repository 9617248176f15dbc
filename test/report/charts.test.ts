import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { barChartSvg, heatmapSvg, rowZscores, spectrogramImage } from '../../src/report/index.ts';

function pngPixels(dataUri: string): number[] {
  const png = Buffer.from(dataUri.replace(/^data:image\/png;base64,/, ''), 'base64');
  const len = png.readUInt32BE(33);
  return [...inflateSync(png.subarray(41, 41 + len))];
}

test('heatmapSvg(2×2) embeds the cells as a PNG coloured from lowest (dark) to highest (yellow)', () => {
  const svg = heatmapSvg([0, 1, 0.5, 0], 2, 2, { title: 'T', rowTitle: 'rows', colTitle: 'cols' });
  const uri = /href="(data:image\/png;base64,[^"]+)"/.exec(svg)![1]!;
  const raw = pngPixels(uri);
  // row 0: filter byte, (0 → dark purple), (1 → yellow); row 1: filter, (0.5 → teal), (0 → purple)
  assert.deepEqual(raw, [0, 68, 1, 84, 253, 231, 37, 0, 33, 145, 140, 68, 1, 84]);
  assert.match(svg, /<title>T<\/title>/);
  assert.match(svg, />1\.00<\/text>/);
  assert.match(svg, />0\.00<\/text>/);
});

test('barChartSvg(bars) draws bars proportional to value with a chance line', () => {
  const svg = barChartSvg([{ label: 'a', value: 1, chance: 0.5 }, { label: 'b', value: 0.25 }], { title: 'B', min: 0, max: 1 });
  const widths = [...svg.matchAll(/class="bar"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [260, 65]);
  assert.equal((svg.match(/stroke-dasharray="3 2"/g) ?? []).length, 1);
});

test('spectrogramImage(1 kHz tone) is brightest in the row whose band holds 1 kHz', () => {
  const sr = 22050;
  const x = Float32Array.from({ length: sr }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / sr));
  const img = spectrogramImage(x, sr, 20, 48);
  // Brightness per row = sum of the yellow-ish green channel.
  const rowG = Array.from({ length: 48 }, (_, r) => {
    let g = 0;
    for (let c = 0; c < 20; c++) g += img.rgb[(r * 20 + c) * 3 + 1]!;
    return g;
  });
  const brightest = rowG.indexOf(Math.max(...rowG));
  // Row r from the top covers log-spaced bins; recompute the band of the brightest row.
  const nFft = 1024, minBin = Math.floor((50 * nFft) / sr), top = Math.floor((8000 * nFft) / sr);
  const fromBottom = 47 - brightest;
  const lo = Math.round(minBin * Math.pow(top / minBin, fromBottom / 48));
  const hi = Math.max(lo + 1, Math.round(minBin * Math.pow(top / minBin, (fromBottom + 1) / 48)));
  const bin1k = (1000 * nFft) / sr;
  assert.ok(bin1k >= lo - 1 && bin1k <= hi, `1 kHz (bin ${bin1k.toFixed(1)}) not in brightest band [${lo}, ${hi})`);
});

test('spectrogramImage(silence) is uniform', () => {
  const img = spectrogramImage(new Float32Array(4000), 22050, 10, 8);
  assert.ok(img.rgb.every((v, i) => v === img.rgb[i % 3]));
});

test('rowZscores(m, 2) gives each row mean 0 and unit variance; a constant row stays 0', () => {
  assert.deepEqual([...rowZscores([1, 3, 5, 5], 2)], [-1, 1, 0, 0]);
});

test('heatmapSvg(axes, identity) draws y = x from the larger lower end to the smaller upper end of the two axes', () => {
  // columns span x ∈ [-0.2, 0.8], rows y ∈ [0, 1]: the line runs from 0 to 0.8
  const svg = heatmapSvg(new Float64Array(4 * 4), 4, 4, { title: 'd', rowTitle: 'y', colTitle: 'x', axes: { x0: -0.2, x1: 0.8, y0: 0, y1: 1 }, cell: 10, identity: true });
  const m = /<line class="identity" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!;
  const [left, top, w, h] = [44, 30, 40, 40];
  const px = (v: number) => left + ((v + 0.2) / 1) * w;
  const py = (v: number) => top + h - v * h;
  assert.deepEqual(m.slice(1).map(Number), [px(0), py(0), px(0.8), py(0.8)]);
  assert.doesNotMatch(heatmapSvg([0], 1, 1, { title: 'd', rowTitle: 'y', colTitle: 'x', axes: { x0: 0, x1: 1, y0: 0, y1: 1 } }), /class="identity"/, 'only when asked');
});

test('heatmapSvg(groups, diagonal) labels each group once, separates groups by lines and outlines the n diagonal cells', () => {
  const groups = [{ label: 'blues', start: 0, end: 2 }, { label: 'jazz', start: 2, end: 3 }];
  const svg = heatmapSvg(new Float64Array(9), 3, 3, { title: 'T', rowTitle: 'r', colTitle: 'c', groups, diagonal: true, cell: 10 });
  assert.equal((svg.match(/>blues</g) ?? []).length, 2, 'row and column label');
  const lines = [...svg.matchAll(/<line class="separator" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  // one horizontal line at row 2 (y = 30 + 20) across the matrix (x from 74 to 104)
  assert.deepEqual(lines, [[74, 104, 50, 50]]);
  const d = /<path class="diagonal" d="([^"]+)"/.exec(svg)![1]!;
  assert.deepEqual([...d.matchAll(/M([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]), [[74, 30], [84, 40], [94, 50]]);
});
