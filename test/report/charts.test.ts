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
