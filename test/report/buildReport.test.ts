import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { buildReport } from '../../src/report/index.ts';
import { parseNifti, readAudio } from '../../src/io/index.ts';
import { writeFixtureRun, CLIPS, DIMS } from './fixtureRun.ts';

const fixture = writeFixtureRun();
const reportDir = join(fixture.runDir, 'report');
const built = buildReport(fixture.runDir, reportDir);

function attrs(html: string, tag: string, attr: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\s${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

test('buildReport(run) counts subjects, clips, audio files and brain maps', async () => {
  const s = await built;
  assert.deepEqual({ subjects: s.subjects, clips: s.clips, audio: s.audio, brainMaps: s.brainMaps }, { subjects: 2, clips: 8, audio: 12, brainMaps: 4 });
  assert.equal(s.index, join(reportDir, 'index.html'));
});

test('buildReport: every local src and href resolves to a file and none reaches the network', async () => {
  await built;
  const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
  assert.ok(attrs(html, 'link', 'href').includes('data:,'), 'an empty inline icon, so no favicon request is made');
  const refs = [...attrs(html, 'audio', 'src'), ...attrs(html, 'img', 'src'), ...attrs(html, 'script', 'src'), ...attrs(html, 'link', 'href').filter((h) => h !== 'data:,')];
  assert.equal(refs.length, 16 + 16 + 3 + 1, 'audio 16, spectrogram images 16, scripts 3 (niivue, brain data, report.js), stylesheet 1');
  for (const ref of refs) {
    assert.doesNotMatch(ref, /^[a-z]+:/i, `${ref} must be a relative path`);
    assert.ok(existsSync(resolve(reportDir, ref)), `${ref} is missing`);
  }
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.ok(attrs(html, 'audio', 'src').includes('../dataset/stimuli/blues.00048.wav'));
  assert.ok(attrs(html, 'audio', 'src').includes('../generated/sub-001/rock.00048_0.wav'));
});

test('buildReport: metrics with chance, heatmaps, per-genre bars and notes for stages that did not run', async () => {
  await built;
  const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
  assert.equal((html.match(/<section class="subject"/g) ?? []).length, 2);
  assert.ok(html.includes(`<td>identification accuracy, test (clips)</td><td class="num">${fixture.accuracy.toFixed(3)}</td><td class="num">0.500</td>`));
  assert.ok(html.includes('<td>4-way top-1, test</td><td class="num">0.750</td><td class="num">0.250</td>'));
  assert.ok(html.includes('<td>retrieval: genre of top clip agrees</td><td class="num">0.500</td><td class="num">0.250</td><td class="num">1.000</td>'));
  assert.ok(html.includes('id="heatmap-sub-001"') && html.includes('id="heatmap-sub-002"'));
  assert.ok(html.includes('id="density-sub-001-builtin-genre"'));
  assert.equal((html.match(/<svg class="barchart"/g) ?? []).length, 2 + 2, 'per-genre for both subjects, two space comparisons');
  const sub2 = html.slice(html.indexOf('<section class="subject" id="sub-002"'));
  assert.match(sub2, /brain maps: stage not run|encoding maps and feature-space comparisons: stage not run/);
  assert.match(sub2, /retrieval: stage not run/);
  assert.match(sub2, /generation: stage not run/);
  assert.match(html, /<td>generate<\/td><td>not run<\/td><td class="num">–<\/td><td>switched off/);
  assert.match(html, /<td>report<\/td><td>this page<\/td>/, 'the report stage is the page itself, not "not run"');
  assert.ok(html.includes('G_temp_sup-G_T_transv'));
  assert.equal((html.match(/<tr><td>[a-z]+\.00048<div class="meta">/g) ?? []).length, 8);
});

test('buildReport: data/<sub>-brain.js holds the maps as NIfTI, significant map = r where sig', async () => {
  await built;
  assert.deepEqual(readdirSync(join(reportDir, 'data')), ['sub-001-brain.js']);
  const window: { B2M_BRAIN?: Record<string, { background: { base64: string }; maps: { key: string; base64: string; max: number }[]; rois: { base64: string } | null }> } = {};
  runInNewContext(readFileSync(join(reportDir, 'data/sub-001-brain.js'), 'utf8'), { window });
  const d = window.B2M_BRAIN!['sub-001']!;
  assert.deepEqual([...d.maps.map((m) => m.key)], ['builtin:sig', 'builtin:r', 'genre:sig', 'genre:r']);
  const read = (b64: string) => parseNifti(new Uint8Array(Buffer.from(b64, 'base64')));
  const r = read(d.maps[1]!.base64);
  const sig = read(d.maps[0]!.base64);
  assert.deepEqual(r.dims.slice(0, 3), DIMS);
  let max = 0;
  for (let i = 0; i < r.data.length; i++) {
    const v = r.data[i]!;
    max = Math.max(max, v);
    assert.equal(sig.data[i], v > 0.3 ? v : 0);
  }
  assert.equal(d.maps[1]!.max, max);
  assert.equal(read(d.background.base64).header.descrip.trim(), 'mean functional image');
  assert.ok(d.rois !== null);
  assert.ok(existsSync(join(reportDir, 'vendor/niivue.umd.js')));
});

test('buildReport: spectrograms are 240×96 PNGs, one per distinct audio file', async () => {
  await built;
  const files = readdirSync(join(reportDir, 'spectrograms'));
  assert.equal(files.length, 12);
  const png = readFileSync(join(reportDir, 'spectrograms', `original-${CLIPS[0]}.png`));
  assert.equal(png.readUInt32BE(16), 240);
  assert.equal(png.readUInt32BE(20), 96);
  assert.ok(dirname(files[0]!) === '.');
});

test('buildReport: audio outside the run folder is written into the report as WAV, with the same samples', async () => {
  const f = writeFixtureRun({ stimuliOutside: true });
  await buildReport(f.runDir, join(f.runDir, 'report'));
  const html = readFileSync(join(f.runDir, 'report/index.html'), 'utf8');
  const src = `audio/original-${CLIPS[1]}.wav`;
  assert.ok(attrs(html, 'audio', 'src').includes(src));
  const copied = await readAudio(join(f.runDir, 'report', src));
  const source = await readAudio(join(f.stimuli, `${CLIPS[1]}.wav`));
  assert.equal(copied.sampleRate, source.sampleRate);
  assert.deepEqual(copied.samples, source.samples);
});
